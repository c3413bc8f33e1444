"""Profile addresses as people should read them.

Canonical addresses keep characters outside ASCII percent-encoded (see `profiles.Profile.url`),
which is right for links and comparisons but unreadable: `blodb%D0%B0nken_ung` for a handle
spelt with a Cyrillic а. Pages and e-mails show the address decoded, with each character
outside ASCII marked and named as the verify page names it ("а (U+0430 CYRILLIC SMALL LETTER
A)"), so a look-alike is shown for what it is instead of passing for the real name.
"""

import re
import unicodedata

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .profiles import describe_lookalikes

ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def readable_address(text: str) -> str:
    """`text` with percent-escapes that spell characters outside ASCII decoded.

    Escapes of ASCII characters (`%2F`, `%3F`, `%20` …) stay as they are: decoded, they would
    change what the address says. A run that is not valid UTF-8 stays encoded."""

    def decode(match: re.Match) -> str:
        run = match.group(0)
        try:
            decoded = bytes.fromhex(run.replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return run
        return "".join(f"%{ord(c):02X}" if c.isascii() else c for c in decoded)

    return ESCAPES.sub(decode, text or "")


def plain_address(text: str) -> str:
    """The readable address for plain text (an e-mail's subject or text part): characters that
    cannot be seen, or that turn the text's direction, written as their code point."""
    return "".join(f"[U+{ord(c):04X}]" if not c.isascii() and _invisible(c) else c for c in readable_address(text))


def _invisible(character: str) -> bool:
    return unicodedata.category(character) in {"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"}


def character_name(character: str) -> str:
    return f"U+{ord(character):04X} {unicodedata.name(character, 'UNNAMED CHARACTER')}"


def marked_address(text: str) -> SafeString:
    """The readable address as HTML, each character outside ASCII in a <mark> that names it.

    Characters that cannot be seen (zero-width spaces, direction marks) are shown by their
    code point, so an address cannot hide anything from the reader."""
    parts = []
    for character in readable_address(text):
        if character.isascii():
            parts.append(escape(character))
            continue
        name = character_name(character)
        shown = f"[U+{ord(character):04X}]" if _invisible(character) else character
        parts.append(
            format_html(
                '<mark class="portal-lookalike" title="{}">{}<span class="ds-sr-only"> ({})</span></mark>',
                name,
                shown,
                name,
            )
        )
    return mark_safe("".join(parts))


def lookalikes_in(text: str) -> tuple[str, ...]:
    """Each different character outside ASCII in the readable address, named."""
    return describe_lookalikes(readable_address(text))
