"""Statistics exports in the shapes the platforms give them (see the README's section on
key figures), built by code so each test shows what its file holds."""

import csv
import io
import zipfile

FACEBOOK_HEADER = [
    "Post ID",
    "Page ID",
    "Page name",
    "Title",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Caption type",
    "Permalink",
    "Is crosspost",
    "Is share",
    "Post type",
    "Languages",
    "Custom labels",
    "Funded content status",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Reactions, comments and shares",
    "Reactions",
    "Comments",
    "Shares",
    "Total clicks",
    "Link clicks",
    "Other clicks",
    "Seconds viewed",
    "Average seconds viewed",
    "Estimated earnings (USD)",
    "Ad impressions",
    "Ad CPM (USD)",
    "Negative feedback from users: Hide all",
]

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


def facebook_row(post_id, published, views, reach, reactions, comments, shares, *, kind="Photo", text="Ein post"):
    values = dict.fromkeys(FACEBOOK_HEADER, "")
    values.update(
        {
            "Post ID": post_id,
            "Page ID": "1122334455",
            "Page name": "Blodbanken i Bergen",
            "Description": text,
            "Publish time": published,
            "Permalink": f"https://www.facebook.com/1122334455/posts/{post_id}",
            "Post type": kind,
            "Views": views,
            "Reach": reach,
            "Reactions, comments and shares": reactions + comments + shares,
            "Reactions": reactions,
            "Comments": comments,
            "Shares": shares,
            "Total clicks": 3,
        }
    )
    return [values[h] for h in FACEBOOK_HEADER]


def csv_bytes(header, rows, *, delimiter=",", encoding="utf-8-sig") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def facebook_csv(rows=None, **kwargs) -> bytes:
    rows = rows or [
        facebook_row("111_1", "11/02/2026 09:15", 1200, 900, 40, 6, 3, text="Takk til alle som gav blod!"),
        facebook_row(
            "111_2",
            "11/20/2026 14:05",
            800,
            650,
            25,
            4,
            2,
            kind="Video",
            text='Ny video frå tappinga,\nmed «hjarte» og komma, og\n"sitat"',
        ),
        facebook_row("111_3", "12/01/2026 10:00", 500, 400, 10, 1, 0, kind="Link"),
    ]
    return csv_bytes(FACEBOOK_HEADER, rows, **kwargs)


def instagram_csv(header=None) -> bytes:
    header = header or INSTAGRAM_HEADER
    rows = [
        [
            "1801",
            "17841",
            "blodbanken_bergen",
            "Blodbanken",
            "Gi blod i dag",
            "11/03/2026 08:00",
            "https://www.instagram.com/p/A/",
            "IG image",
            "2 000",
            "1 500",
            "120",
            "8",
            "5",
            "9",
            "4",
        ],
        [
            "1802",
            "17841",
            "blodbanken_bergen",
            "Blodbanken",
            "Reel frå tappinga",
            "11/10/2026 18:30",
            "https://www.instagram.com/reel/B/",
            "IG reel",
            "3 500",
            "2 900",
            "300",
            "22",
            "14",
            "30",
            "11",
        ],
    ]
    return csv_bytes(header, rows)


def linkedin_rows():
    """The three sheets of LinkedIn's exports: a note on the first row, the headings on the second."""
    note = ["Aggregated metrics for the page. Exported from LinkedIn Page analytics."]
    posts = [
        note,
        [
            "Post title",
            "Post link",
            "Post type",
            "Campaign name",
            "Posted by",
            "Created date",
            "Audience",
            "Impressions",
            "Views (excluding off-site video views)",
            "Off-site views",
            "Clicks",
            "Click through rate (CTR)",
            "Likes",
            "Comments",
            "Reposts",
            "Follows",
            "Engagement rate",
            "Content Type",
        ],
        [
            "Vi søkjer sjukepleiarar",
            "https://www.linkedin.com/feed/update/urn:li:activity:7000000000000000001",
            "Organic",
            "",
            "Silje Dale",
            "11/05/2026",
            "All followers",
            4000,
            0,
            0,
            120,
            0.03,
            80,
            12,
            9,
            5,
            0.05,
            "Image",
        ],
        [
            "Forsking på hjarte",
            "https://www.linkedin.com/feed/update/urn:li:ugcPost:7000000000000000002",
            "Organic",
            "",
            "Silje Dale",
            "11/19/2026",
            "All followers",
            2500,
            0,
            0,
            60,
            0.02,
            40,
            3,
            2,
            1,
            0.04,
            "Video",
        ],
    ]
    metrics = [
        note,
        [
            "Date",
            "Impressions (organic)",
            "Impressions (sponsored)",
            "Impressions (total)",
            "Unique impressions (organic)",
            "Clicks (organic)",
            "Clicks (sponsored)",
            "Clicks (total)",
            "Reactions (organic)",
            "Reactions (sponsored)",
            "Reactions (total)",
            "Comments (organic)",
            "Comments (sponsored)",
            "Comments (total)",
            "Reposts (organic)",
            "Reposts (sponsored)",
            "Reposts (total)",
            "Engagement rate (organic)",
            "Engagement rate (sponsored)",
            "Engagement rate (total)",
        ],
        ["11/05/2026", 3000, 0, 3000, 2000, 100, 0, 100, 60, 0, 60, 10, 0, 10, 8, 0, 8, 0.05, 0, 0.05],
        ["11/06/2026", 1000, 0, 1000, 800, 20, 0, 20, 20, 0, 20, 2, 0, 2, 1, 0, 1, 0.04, 0, 0.04],
    ]
    followers = [
        note,
        ["Date", "Sponsored followers", "Organic followers", "Auto-invited followers", "Total followers"],
        ["11/05/2026", 0, 7, 0, 7],
        ["11/06/2026", 0, 3, 1, 4],
    ]
    return {"All posts": posts, "Metrics": metrics, "New followers": followers}


def linkedin_xlsx(sheets=None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in (sheets or linkedin_rows()).items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def linkedin_xls(sheets=None) -> bytes:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    for name, rows in (sheets or linkedin_rows()).items():
        sheet = workbook.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


YOUTUBE_TABLE_HEADER = [
    "Content",
    "Video title",
    "Video publish time",
    "Duration",
    "Views",
    "Watch time (hours)",
    "Subscribers",
    "Impressions",
    "Impressions click-through rate (%)",
    "Average view duration",
    "Average percentage viewed (%)",
    "Likes",
    "Comments added",
    "Shares",
    "Subscribers gained",
    "Subscribers lost",
]


def youtube_zip(*, table_rows=None, extra: dict | None = None, folder="") -> bytes:
    table = table_rows or [
        ["Total", "", "", "", 1500, 80.5, 12, 20000, 5.1, "0:03:10", 41.2, 90, 14, 7, 15, 3],
        [
            "dQw4w9WgXcQ",
            "Slik går ei blodgiving føre seg",
            "Nov 4, 2026",
            245,
            1000,
            55.0,
            8,
            14000,
            5.5,
            "0:03:20",
            45.0,
            60,
            10,
            5,
            10,
            2,
        ],
        ["a1b2c3d4e5f", "Møt tapparane", "Nov 18, 2026", 130, 500, 25.5, 4, 6000, 4.2, "0:02:50", 37.0, 30, 4, 2, 5, 1],
    ]
    chart = [["Date", "Views", "Subscribers"], ["2026-11-04", 400, 3], ["2026-11-05", 300, 2]]
    totals = [["Date", "Views"], ["2026-11-04", 400], ["2026-11-05", 300]]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(folder + "Table data.csv", csv_bytes(YOUTUBE_TABLE_HEADER, table, encoding="utf-8"))
        archive.writestr(folder + "Chart data.csv", csv_bytes(chart[0], chart[1:], encoding="utf-8"))
        archive.writestr(folder + "Totals.csv", csv_bytes(totals[0], totals[1:], encoding="utf-8"))
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def zip_of(files: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def zip_bomb(unpacked_mb=200) -> bytes:
    """A small zip that would unpack to hundreds of megabytes of zeros."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("Table data.csv", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1024 * 1024)
        for _ in range(unpacked_mb):
            member.write(chunk)
    return out.getvalue()


def generic_csv() -> bytes:
    """A unit's own daily counts from TikTok, in Norwegian Excel's CSV: Windows-1252,
    semicolons, decimal commas and spaces between the thousands."""
    text = "Dato;Visningar;Likerklikk;Nye følgjarar;Følgjarar totalt\n"
    text += "01.11.2026;1 234;56;7;1 007\n"
    text += "02.11.2026;2 000;40;-2;1 005\n"
    text += "03.11.2026;;10;;\n"
    return text.encode("cp1252")
