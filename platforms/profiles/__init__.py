"""Reading what people paste as a profile: any form of a profile's address, or a handle.

Each platform's `url_rules` (described on `Platform`) say how its profile addresses look; this
module is the engine that applies them. `read_profile` turns text into one `Profile` with one
canonical address, or says in plain words why the text is not a profile.

Handles are never Unicode-normalised or case-folded beyond ASCII: a handle spelt with look-alike
letters (Cyrillic а, the Kelvin sign, full-width letters) stays what it is, gets an address of its
own, and lists its unusual characters in `Profile.lookalikes` so pages can show it for what it is.
"""

from .base import (
    BAD_HANDLE,
    BAD_HANDLE_EXAMPLE,
    BAD_PATH,
    CASES,
    EMAIL,
    EMPTY,
    FRONT_PAGE,
    HANDLE_KEYS,
    INVISIBLE,
    IP_ADDRESS,
    KINDS,
    MAX_FOLLOWS,
    MAX_LENGTH,
    NEEDS_PLATFORM,
    NO_RULES,
    NOT_A_PROFILE,
    NOT_A_PROFILE_EXAMPLE,
    NOT_ADDRESS,
    NOT_WEB,
    OTHER_PLATFORM,
    PATH_KEYS,
    PORT,
    RULE_KEYS,
    SPACES,
    TOO_LONG,
    UNDER_PROFILE,
    UNKNOWN_SITE,
    UNUSUAL_HOST,
    USERINFO,
    WRONG_PLATFORM,
    HandleNeedsPlatform,
    NotAProfile,
    Profile,
    ascii_lower,
    describe_lookalikes,
    interpolated,
)
from .lookalikes import (
    ASCII_LOOKALIKES,
    skeleton,
    swapped_parts,
)
from .reading import (
    all_platforms,
    read_profile,
)
from .rules import (
    logger,
    rule_problems,
)

__all__ = [
    "ASCII_LOOKALIKES",
    "BAD_HANDLE",
    "BAD_HANDLE_EXAMPLE",
    "BAD_PATH",
    "CASES",
    "EMAIL",
    "EMPTY",
    "FRONT_PAGE",
    "HANDLE_KEYS",
    "HandleNeedsPlatform",
    "INVISIBLE",
    "IP_ADDRESS",
    "KINDS",
    "MAX_FOLLOWS",
    "MAX_LENGTH",
    "NEEDS_PLATFORM",
    "NOT_ADDRESS",
    "NOT_A_PROFILE",
    "NOT_A_PROFILE_EXAMPLE",
    "NOT_WEB",
    "NO_RULES",
    "NotAProfile",
    "OTHER_PLATFORM",
    "PATH_KEYS",
    "PORT",
    "Profile",
    "RULE_KEYS",
    "SPACES",
    "TOO_LONG",
    "UNDER_PROFILE",
    "UNKNOWN_SITE",
    "UNUSUAL_HOST",
    "USERINFO",
    "WRONG_PLATFORM",
    "all_platforms",
    "ascii_lower",
    "describe_lookalikes",
    "interpolated",
    "logger",
    "read_profile",
    "rule_problems",
    "skeleton",
    "swapped_parts",
]
