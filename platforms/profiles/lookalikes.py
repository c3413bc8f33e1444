"""Look-alike handles: the skeleton a handle is compared in, and which parts of two handles differ."""

import difflib
import unicodedata

from .base import ascii_lower

# -- Look-alike handles ------------------------------------------------------------------------

# Letters from other scripts drawn like a to z, as the Unicode confusables list (UTS #39) pairs
# them: the Cyrillic and Greek letters and the Latin variants copies of real accounts are seen to
# use. NFKC (in `skeleton`) takes care of full-width letters, the Kelvin sign and the like first.
# A short table kept here rather than the whole confusables list (thousands of pairs, most of them
# between scripts no handle allows): a skeleton only needs to meet the register's a to z.
_LOOKALIKE_LETTERS = str.maketrans(
    "аеорсухѕіјԁһӏԛԝɑɡıꜱ"  # Cyrillic and Latin small letters
    "АВЕКМНОРСТХУЅІЈ"  # Cyrillic capitals
    "αοριυνκτ"  # Greek small letters
    "ΑΒΕΖΗΙΚΜΝΟΡΤΧΥ",  # Greek capitals
    "aeopcyxsijdhlqwagis"
    "abekmhopctxysij"
    "aopiuvkt"
    "abezhikmnoptxy",
)  # fmt: skip
# Plain characters read as others, replaced in this order on both sides of a comparison (the
# register's side in SQL, registry/verification.py): the digit 0 as o, the digit 1, a capital I
# and a small i as l, "rn" as m, "vv" as w.
ASCII_LOOKALIKES = (("0", "o"), ("1", "l"), ("i", "l"), ("|", "l"), ("rn", "m"), ("vv", "w"))


def skeleton(handle: str) -> str:
    """What a handle looks like, as a string two look-alike handles share: `bl0dbanken`,
    `blodb\u0430nken` and `BIodbanken` all read as `blodbanken`'s skeleton (UTS #39's idea,
    limited to the characters above). For finding the official account a handle imitates,
    never for deciding that two handles are the same profile."""
    text = unicodedata.normalize("NFKC", handle).translate(_LOOKALIKE_LETTERS).lower()
    for written, read in ASCII_LOOKALIKES:
        text = text.replace(written, read)
    return text


def swapped_parts(asked: str, official: str) -> tuple[tuple[str, str], ...]:
    """Where `asked` differs from the `official` handle it looks like: (what was written, what the
    official handle has there), such as ("0", "o"), in the order they appear."""
    matcher = difflib.SequenceMatcher(None, asked, official, autojunk=False)
    return tuple(
        (asked[i1:i2], official[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal" and ascii_lower(asked[i1:i2]) != ascii_lower(official[j1:j2])
    )
