"""Text as people type and paste it, cleaned of what they cannot see.

A name copied from a web page or a spreadsheet can carry characters that take up no
space: a byte order mark (U+FEFF) from a CSV file, zero-width spaces and joiners,
direction marks, soft hyphens. They make two names that look the same differ (a search
or a duplicate check misses), and can hide what a name really says. Names lose them.
"""

import re
import unicodedata

from django import forms

# Format characters (category Cf: U+FEFF, U+200B–U+200F, U+202A–U+202E, U+2060–U+2064,
# U+2066–U+2069, U+00AD …) and a few others that render as nothing.
_ALSO_INVISIBLE = {"\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180e", "\u3164", "\uffa0"}


def _invisible(ch: str) -> bool:
    return ch in _ALSO_INVISIBLE or unicodedata.category(ch) == "Cf"


def strip_invisible(text: str) -> str:
    """The text without characters that take up no space; everything else as it was."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if not _invisible(ch))


def clean_name(text: str) -> str:
    """A name as one line: no invisible characters, any run of spaces (no-break spaces,
    tabs, line breaks) as one space, none at either end, in Unicode's composed form."""
    text = unicodedata.normalize("NFC", strip_invisible(text or ""))
    return re.sub(r"\s+", " ", text).strip()


class NameField(forms.CharField):
    """A title or a name typed into a form: cleaned as `clean_name` before it is checked, so a
    title of only invisible characters is empty (and refused when required)."""

    def to_python(self, value):
        return clean_name(super().to_python(value))
