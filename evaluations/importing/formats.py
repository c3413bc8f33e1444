"""The columns each platform's export has, and how they are recognised."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from ..models import PostKind
from .base import header_key

# --------------------------------------------------------------------------- the formats


@dataclass(frozen=True)
class Column:
    """One figure and the names a platform's export may give its column."""

    name: str
    label: object
    aliases: tuple[str, ...]


LABELS = {
    "post_id": gettext_lazy("Post id"),
    "published": gettext_lazy("Published"),
    "date": gettext_lazy("Date"),
    "kind": gettext_lazy("Kind of post"),
    "views": gettext_lazy("Views"),
    "reach": gettext_lazy("Reach"),
    "reactions": gettext_lazy("Reactions and likes"),
    "comments": gettext_lazy("Comments"),
    "shares": gettext_lazy("Shares"),
    "clicks": gettext_lazy("Clicks"),
    "follows": gettext_lazy("Follows from the post"),
    "saves": gettext_lazy("Saves"),
    "followers": gettext_lazy("Followers (total)"),
    "new_followers": gettext_lazy("New followers"),
    "posts": gettext_lazy("Posts"),
    "marker": gettext_lazy("Recognised by"),
}


def _columns(**aliases) -> tuple[Column, ...]:
    return tuple(Column(name, LABELS[name], tuple(names)) for name, names in aliases.items())


META_COMMON = {
    "post_id": ("Post ID", "Publicerings-id", "Innleggs-ID", "Innleggs-id", "Post-ID", "Publiserings-ID"),
    "published": (
        "Publish time",
        "Publication time",
        "Publiceringstid",
        "Publiseringstidspunkt",
        "Publiseringstid",
        "Tidspunkt for publisering",
    ),
    "kind": ("Post type", "Publiceringstyp", "Innleggstype", "Type innlegg", "Publiseringstype"),
    "views": ("Views", "Impressions", "Visningar", "Visninger", "Eksponeringer", "Visninger totalt"),
    "reach": ("Reach", "Räckvidd", "Rekkevidde"),
    "comments": ("Comments", "Kommentarer"),
    "shares": ("Shares", "Delningar", "Delinger", "Delt"),
}
FACEBOOK = _columns(
    marker=("Page ID", "Sid-id", "Side-ID", "Side-id", "Sidens ID"),
    **META_COMMON,
    reactions=("Reactions", "Reaktioner", "Reaksjoner"),
    clicks=("Total clicks", "Totalt antal klick", "Klikk totalt", "Totalt antall klikk", "Klick totalt"),
)
INSTAGRAM = _columns(
    marker=("Account username", "Kontots användarnamn", "Brukernavn for kontoen", "Kontoens brukernavn", "Brukernavn"),
    **META_COMMON,
    reactions=("Likes", "Gilla-markeringar", "Liker", "Likerklikk", "Likes totalt"),
    saves=("Saves", "Sparade", "Lagringer", "Lagret"),
    follows=("Follows", "Följningar", "Følginger", "Nye følgere"),
)
META_FORMATS = [("facebook", "Facebook", FACEBOOK), ("instagram", "Instagram", INSTAGRAM)]
META_REQUIRED = ("marker", "post_id", "published")

LINKEDIN_POSTS = _columns(
    post_id=("Post link",),
    published=("Created date",),
    kind=("Content Type", "Post type"),  # "Post type" is organic or sponsored there
    views=("Impressions",),
    clicks=("Clicks",),
    reactions=("Likes", "Reactions"),
    comments=("Comments",),
    shares=("Reposts", "Shares"),
    follows=("Follows",),
)
LINKEDIN_METRICS = _columns(
    date=("Date",),
    views=("Impressions (total)",),
    clicks=("Clicks (total)",),
    reactions=("Reactions (total)",),
    comments=("Comments (total)",),
    shares=("Reposts (total)", "Shares (total)"),
)
LINKEDIN_FOLLOWERS = _columns(date=("Date",), new_followers=("Total followers",))

YOUTUBE_TABLE = _columns(
    post_id=("Content", "Video"),
    published=("Video publish time", "Publish time"),
    views=("Views",),
    reactions=("Likes",),
    comments=("Comments added",),
    shares=("Shares",),
    follows=("Subscribers gained", "Subscribers"),
)
YOUTUBE_CHART = _columns(date=("Date",), views=("Views",), new_followers=("Subscribers",))

GENERIC_FIELDS = (
    "date",
    "post_id",
    "kind",
    "views",
    "reach",
    "reactions",
    "comments",
    "shares",
    "clicks",
    "followers",
    "new_followers",
    "posts",
)
METRIC_FIELDS = ("views", "reach", "reactions", "comments", "shares", "clicks", "follows", "saves")
DAY_FIELDS = ("views", "reach", "reactions", "comments", "shares", "clicks", "new_followers", "followers", "posts")

KIND_WORDS = [
    (PostKind.VIDEO, ("video", "reel", "live", "film", "short")),
    (PostKind.PHOTO, ("photo", "image", "picture", "carousel", "album", "bild", "bilde", "foto", "karusell")),
    (PostKind.LINK, ("link", "article", "artikkel", "artikel", "lenke", "länk", "document", "dokument")),
    (PostKind.TEXT, ("status", "text", "tekst")),
]


def post_kind(value, default=PostKind.OTHER) -> str:
    text = str(value or "").casefold()
    for kind, words in KIND_WORDS:
        if any(word in text for word in words):
            return kind.value
    return default.value


def _find(header: list[str], columns: tuple[Column, ...]) -> dict[str, int]:
    """Which column index holds each figure, by any of its names."""
    keys = {header_key(h): i for i, h in reversed(list(enumerate(header)))}
    found = {}
    for column in columns:
        for alias in column.aliases:
            if header_key(alias) in keys:
                found[column.name] = keys[header_key(alias)]
                break
    return found


def _expected(columns: tuple[Column, ...], names) -> list[str]:
    by_name = {c.name: c for c in columns}
    return [" / ".join(by_name[n].aliases[:3]) for n in names if n in by_name]


def expected_headings() -> list[tuple[str, list[str]]]:
    """What each recognised format's headings look like, for the message on a file we do not know."""
    return [
        ("Meta Business Suite – Facebook (CSV)", _expected(FACEBOOK, ("marker", "post_id", "published", "views"))),
        ("Meta Business Suite – Instagram (CSV)", _expected(INSTAGRAM, ("marker", "post_id", "published", "views"))),
        ("LinkedIn (.xls, .xlsx)", ["Post link", "Created date", "Impressions", "Date", "Total followers"]),
        ("YouTube Studio (.zip)", ["Table data.csv: Content, Video publish time, Views"]),
    ]
