"""Numbers and dates as people and platforms write them.

Numbers: "1 234,5" (Norwegian, with a space, a no-break space or a thin space between the
thousands), "1.234,5", "1,234.5" (English), "12 %", and empty cells. A count is a whole
number, so in a count "1,234" and "1.234" are a thousand and more; in a decimal ("5,5 hours")
a lone comma or full stop is the decimal mark.

Dates: ISO ("2026-11-26"), Norwegian ("26.11.2026"), the platforms' American month-first
form ("11/26/2026 14:05"), YouTube's "Nov 26, 2026", and cells a spreadsheet gives as dates.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
WHOLE_GROUPS = re.compile(r"^\d{1,3}([.,]\d{3})+$")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "januar"),
            ("feb", "february", "februar"),
            ("mar", "march", "mars"),
            ("apr", "april"),
            ("may", "mai"),
            ("jun", "june", "juni"),
            ("jul", "july", "juli"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt", "oktober"),
            ("nov", "november"),
            ("dec", "december", "des", "desember"),
        ],
        start=1,
    )
    for name in names
}


class NotANumber(ValueError):
    pass


class NotADate(ValueError):
    pass


def parse_number(value, *, whole: bool = False) -> Decimal | None:
    """The number in a cell or a field, or None when it is empty. Raises NotANumber."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)).normalize() if value == value else None
    text = SPACES.sub("", str(value)).replace("\u2212", "-").rstrip("%")
    if text in ("", "-", "–", "—"):
        return None
    negative = text.startswith("-")
    digits = text.lstrip("+-")
    if "," in digits and "." in digits:
        # The mark that comes last is the decimal mark; the other groups thousands.
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        digits = digits.replace(thousands, "").replace(decimal_mark, ".")
    elif whole and WHOLE_GROUPS.match(digits):
        digits = digits.replace(",", "").replace(".", "")
    elif digits.count(",") == 1 and "." not in digits:
        digits = digits.replace(",", ".")
    elif digits.count(",") > 1 or digits.count(".") > 1:
        if WHOLE_GROUPS.match(digits):
            digits = digits.replace(",", "").replace(".", "")
        else:
            raise NotANumber(value)
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", digits):
        raise NotANumber(value)
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise NotANumber(value) from None
    return -number if negative else number


def parse_count(value) -> int | None:
    """A whole, non-negative count (posts, views, followers). Raises NotANumber."""
    number = parse_number(value, whole=True)
    if number is None:
        return None
    if number < 0 or number != number.to_integral_value():
        raise NotANumber(value)
    return int(number)


def parse_date(value, *, month_first: bool = True) -> date | None:
    """A date from a cell. A slash date is month first, as the platforms write it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        return _date(int(match[1]), int(match[2]), int(match[3]), value)
    match = re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\b", text)
    if match:
        return _date(int(match[3]), int(match[2]), int(match[1]), value)
    match = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})\b", text)
    if match:
        first, second = int(match[1]), int(match[2])
        month, day = (first, second) if month_first else (second, first)
        return _date(int(match[3]), month, day, value)
    match = re.match(r"^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})\b", text)  # Nov 26, 2026
    if match and match[1].lower() in MONTHS:
        return _date(int(match[3]), MONTHS[match[1].lower()], int(match[2]), value)
    match = re.match(r"^(\d{1,2})\.? ([A-Za-z]+)\.? (\d{4})\b", text)  # 26 Nov 2026, 26. nov. 2026
    if match and match[2].lower() in MONTHS:
        return _date(int(match[3]), MONTHS[match[2].lower()], int(match[1]), value)
    raise NotADate(value)


def _date(year, month, day, original) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise NotADate(original) from None
