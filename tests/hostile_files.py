"""Hostile spreadsheets for the upload tests, written as the zip of XML parts an .xlsx is,
so that a file that would unpack to gigabytes in a careless reader stays small on disk."""

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"

BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>\n"
)


def xlsx(rows, *, sheet="Metrics", dimension="A1:XFD1048576", prolog='<?xml version="1.0" encoding="UTF-8"?>\n'):
    """An .xlsx whose one sheet holds `rows` (an iterable of the <row> elements' inner XML,
    numbered from 1), declaring the given dimension."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(name=sheet))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        body = io.StringIO()
        body.write(prolog + SHEET_START.format(dimension=dimension))
        for number, cells in enumerate(rows, start=1):
            body.write(f'<row r="{number}">{cells}</row>')
        body.write(SHEET_END)
        archive.writestr("xl/worksheets/sheet1.xml", body.getvalue())
    return buffer.getvalue()


def padded_metrics(rows=50_000) -> bytes:
    """The probe's file: a "Metrics" sheet of one-cell rows that declares 16,384 columns."""
    return xlsx(f'<c r="A{n}"><v>{n}</v></c>' for n in range(1, rows + 1))


def wide_rows(rows=2_000) -> bytes:
    """Rows with a cell in the first and in the last of Excel's 16,384 columns."""
    return xlsx(f'<c r="A{n}"><v>1</v></c><c r="XFD{n}"><v>2</v></c>' for n in range(1, rows + 1))


def billion_laughs() -> bytes:
    """A sheet whose prolog declares the "billion laughs" entities and uses the last one."""
    return xlsx(['<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'], dimension="A1", prolog=BILLION_LAUGHS)


def external_entity() -> bytes:
    """A sheet that would read a file of the server's into a cell (XXE)."""
    prolog = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    return xlsx(['<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c>'], dimension="A1", prolog=prolog)


def bomb(unpacked_mb=60) -> bytes:
    """A valid-looking .xlsx whose sheet unpacks to `unpacked_mb` MB (of spaces between rows)."""
    padding = " " * (1024 * 1024)
    return xlsx(['<c r="A1"><v>1</v></c>' + (padding if n == 1 else "") for n in range(1, unpacked_mb + 1)])
