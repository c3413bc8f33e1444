"""Example statistics exports, shaped as Meta Business Suite writes them, for the demo.

In the demo the import page offers such a file for the evaluation's own account and
period, so a newcomer can try the import from start to end (download, upload, check,
save) without a real account's statistics. The demo's own history of key figures is
imported from the same files. A post's id comes from its day, so two files that overlap
hold the same posts, as two real exports would."""

import csv
import io
from datetime import date, timedelta

INSTAGRAM_HEADER = [
    "Post ID",
    "Account ID",
    "Account username",
    "Account name",
    "Description",
    "Publish time",
    "Permalink",
    "Post type",
    "Views",
    "Reach",
    "Likes",
    "Comments",
    "Shares",
    "Saves",
    "Follows",
]
FACEBOOK_HEADER = [
    "Post ID",
    "Page ID",
    "Page name",
    "Description",
    "Publish time",
    "Permalink",
    "Post type",
    "Views",
    "Reach",
    "Reactions",
    "Comments",
    "Shares",
    "Total clicks",
]
PLATFORMS = ("instagram", "facebook")
EPOCH = date(2020, 1, 1)
CAPTION = "Takk til alle som gav blod denne veka!\nSjå kva blodet ditt blir brukt til."


def _post_days(start: date, end: date):
    """Two posts a week (every third and fourth day), counted from a fixed day, so the
    posts of a period are the same whichever file they come in."""
    day = EPOCH
    n = 0
    while day <= end:
        if day >= start:
            yield n, day
        day += timedelta(days=3 if n % 2 == 0 else 4)
        n += 1


def _views(n: int, video: bool) -> int:
    return 1800 + 7 * (n % 200) + (2500 if video else 0)


def instagram_rows(start: date, end: date, *, username: str, name: str):
    for n, day in _post_days(start, end):
        reel = n % 3 == 0
        views = _views(n, reel)
        yield [
            f"1790{(day - EPOCH).days:05d}",
            "17841400000",
            username,
            name,
            CAPTION,
            day.strftime("%m/%d/%Y 14:05"),
            f"https://www.instagram.com/p/demo{(day - EPOCH).days}/",
            "IG reel" if reel else "IG image",
            views,
            int(views * 0.7),
            int(views * 0.06),
            int(views * 0.004) + 1,
            int(views * 0.002),
            int(views * 0.005),
            int(views * 0.003),
        ]


def facebook_rows(start: date, end: date, *, name: str):
    for n, day in _post_days(start, end):
        video = n % 3 == 0
        views = _views(n, video) // 2
        post = f"1122334455_{(day - EPOCH).days:05d}"
        yield [
            post,
            "1122334455",
            name,
            CAPTION,
            day.strftime("%m/%d/%Y 09:30"),
            f"https://www.facebook.com/1122334455/posts/{post}",
            "Video" if video else "Photo",
            views,
            int(views * 0.75),
            int(views * 0.05),
            int(views * 0.006) + 1,
            int(views * 0.004),
            int(views * 0.02),
        ]


def meta_export(platform: str, start: date, end: date, *, username: str = "", name: str = "") -> bytes:
    """Meta Business Suite's export (Insights → Content → Export, CSV) of the posts of a
    period: UTF-8 with a byte-order mark, commas, dates month first."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    if platform == "instagram":
        writer.writerow(INSTAGRAM_HEADER)
        writer.writerows(instagram_rows(start, end, username=username, name=name))
    else:
        writer.writerow(FACEBOOK_HEADER)
        writer.writerows(facebook_rows(start, end, name=name))
    return ("\ufeff" + out.getvalue()).encode()


def example_filename(platform: str, start: date, end: date) -> str:
    """As Meta names its files: "Dec-01-2026_Dec-07-2026_instagram.csv"."""
    return f"{start:%b-%d-%Y}_{end:%b-%d-%Y}_{platform}.csv"
