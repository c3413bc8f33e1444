"""The blank template as a Word document, for units that like to start in Word."""

import io

from docx import Document
from docx.shared import Pt

from . import template_text as tt


def blank_template_docx(organisation=None) -> bytes:
    """The blank template, whose closing line names `organisation`'s mailbox (the page's)."""
    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(f"{tt.TITLE} ", level=1)
    document.add_paragraph(tt.INTRODUCTION)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for template_field in tt.FIELDS:
        label, answer = table.add_row().cells
        label.text = ""
        run = label.paragraphs[0].add_run(template_field.name)
        run.bold = True
        label.paragraphs[0].add_run(f" ({template_field.guidance})")
        answer.text = ""
    document.add_paragraph()
    document.add_paragraph(tt.closing_note(organisation))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
