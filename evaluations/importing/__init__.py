"""Key figures from the platforms' own statistics exports.

The portal recognises a file by its content and its column headings, never by position
or file name, and reads it into rows of figures:

- **Meta Business Suite** (Insights → Content → Export), one CSV per platform, one row per
  post. The headings follow the language of the person's Meta interface, so each column is
  known by a list of names (``FACEBOOK`` and ``INSTAGRAM`` below), compared without regard
  to case or spacing. "Page ID" means Facebook, "Account username" Instagram.
- **LinkedIn page analytics** (``.xls`` or ``.xlsx``): the first row of each sheet is a note
  and the headings are on the second. Sheets "All posts" (per post), "Metrics" (per day) and
  "New followers" (per day) are read.
- **YouTube Studio** (a ``.zip`` with ``Table data.csv``, ``Chart data.csv`` and
  ``Totals.csv``): one row per video, the first of them a "Total" row that is left out.
- **Any other CSV** (TikTok, Snapchat, a unit's own counts): the person says which column
  is which; the choice is kept for the next file with the same headings (``ColumnMapping``).

CSV files may be UTF-8 (with or without a byte-order mark) or Windows-1252, separated by
commas, semicolons or tabs, with Norwegian decimal commas and thousands separators.

Safety. Files are read by ``core/tabular.py``, with the bounds every upload of the portal
has: size, rows, cells, the zip guard and no DTD. A file over ``max_bytes()`` (the setting
EVALUATION_UPLOAD_MAX_MB) is refused before it is read (the upload handler stops reading,
see ``core/held.py``); a sheet may have ``MAX_ROWS`` rows below LinkedIn's note and headings.
The file is read in full before anything is written (``services.figures_read``), and a CSV
file is held (core/held.py) for the column mapping until the figures are saved.
"""

from .base import (
    MAX_PROBLEMS,
    MAX_ROWS,
    OLE_MAGIC,
    ZIP_MAGIC,
    ImportProblem,
    Parsed,
    Table,
    header_key,
    headers_signature,
    max_bytes,
)
from .formats import (
    DAY_FIELDS,
    FACEBOOK,
    GENERIC_FIELDS,
    INSTAGRAM,
    KIND_WORDS,
    LABELS,
    LINKEDIN_FOLLOWERS,
    LINKEDIN_METRICS,
    LINKEDIN_POSTS,
    META_COMMON,
    META_FORMATS,
    META_REQUIRED,
    METRIC_FIELDS,
    YOUTUBE_CHART,
    YOUTUBE_TABLE,
    Column,
    expected_headings,
    post_kind,
)
from .parsing import (
    LINKEDIN_URN,
    parse_generic,
    recognise,
)
from .reading import (
    HELD_FOR,
    HELD_PURPOSE,
    KEPT_ROWS,
    MAX_UNSAVED,
    YOUTUBE_FILES,
    Source,
    decode_text,
    drop_oldest_unsaved,
    kept_file,
    kept_table,
    limits,
    read_csv,
    read_file,
    too_large_message,
    too_many_rows_message,
)

__all__ = [
    "Column",
    "DAY_FIELDS",
    "FACEBOOK",
    "GENERIC_FIELDS",
    "HELD_FOR",
    "HELD_PURPOSE",
    "INSTAGRAM",
    "ImportProblem",
    "KEPT_ROWS",
    "KIND_WORDS",
    "LABELS",
    "LINKEDIN_FOLLOWERS",
    "LINKEDIN_METRICS",
    "LINKEDIN_POSTS",
    "LINKEDIN_URN",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "MAX_UNSAVED",
    "META_COMMON",
    "META_FORMATS",
    "META_REQUIRED",
    "METRIC_FIELDS",
    "OLE_MAGIC",
    "Parsed",
    "Source",
    "Table",
    "YOUTUBE_CHART",
    "YOUTUBE_FILES",
    "YOUTUBE_TABLE",
    "ZIP_MAGIC",
    "decode_text",
    "drop_oldest_unsaved",
    "expected_headings",
    "header_key",
    "headers_signature",
    "kept_file",
    "kept_table",
    "limits",
    "max_bytes",
    "parse_generic",
    "post_kind",
    "read_csv",
    "read_file",
    "recognise",
    "too_large_message",
    "too_many_rows_message",
]
