"""Key figures from the platforms' own exports: each described shape, re-imports that never
count a post twice, the column mapping for other files, and every kind of broken file."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations import importing, services
from evaluations.import_views import upload
from evaluations.models import ColumnMapping, DailyFigure, Evaluation, FigureImport, PostFigure
from evaluations.numbers import NotADate, NotANumber, parse_count, parse_date, parse_number

from . import evaluation_files as files

URLS = {
    "facebook": "https://www.facebook.com/blodbankenbergen",
    "instagram": "https://www.instagram.com/blodbanken_bergen/",
    "linkedin": "https://www.linkedin.com/company/blodbanken-bergen",
    "youtube": "https://www.youtube.com/@blodbanken_bergen",
    "tiktok": "https://www.tiktok.com/@blodbanken_bergen",
}


@pytest.fixture
def draft(cast, make_plan, make_account):
    """A draft evaluation for November 2026 of an active account on the given platform."""
    plan = make_plan("approved")

    def make(platform="facebook"):
        account = make_account(url=URLS[platform], status="active", plan=plan)
        evaluation = services.evaluation_start(account=account, actor=cast["member"])
        Evaluation.objects.filter(pk=evaluation.pk).update(
            period_start=date(2026, 11, 1), period_end=date(2026, 11, 30)
        )
        evaluation.refresh_from_db()
        return evaluation

    return make


def send(client, evaluation, name, content):
    return client.post(reverse("evaluations:import", args=[evaluation.pk]), {"file": SimpleUploadedFile(name, content)})


def read_and_save(client, evaluation, name, content):
    response = send(client, evaluation, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    check = client.get(response["Location"])
    assert check.status_code == 200
    figure_import = FigureImport.objects.filter(evaluation=evaluation).latest("pk")
    saved = client.post(reverse("evaluations:import_save", args=[evaluation.pk, figure_import.pk]))
    assert saved.status_code == 302 and saved["Location"] == reverse("evaluations:edit", args=[evaluation.pk])
    evaluation.refresh_from_db()
    return check.content.decode(), evaluation


@pytest.fixture
def member(client, cast):
    client.force_login(cast["member"])
    return client


# --------------------------------------------------------------------------- numbers and dates


@pytest.mark.parametrize(
    "text,whole,expected",
    [
        ("1 234,5", False, Decimal("1234.5")),
        ("1\u00a0234,5", False, Decimal("1234.5")),
        ("1\u202f234", True, Decimal("1234")),
        ("1.234,5", False, Decimal("1234.5")),
        ("1,234.5", False, Decimal("1234.5")),
        ("1,234", True, Decimal("1234")),
        ("1.234.567", True, Decimal("1234567")),
        ("12,5", False, Decimal("12.5")),
        ("12 %", False, Decimal("12")),
        ("-3", True, Decimal("-3")),
        ("", True, None),
        ("–", True, None),
        (None, True, None),
        (1500.0, True, Decimal("1500")),
    ],
)
def test_numbers_as_people_and_platforms_write_them(text, whole, expected):
    assert parse_number(text, whole=whole) == expected


@pytest.mark.parametrize("text", ["mange", "12a", "1,2,3,4", "1..2", "∞"])
def test_what_is_not_a_number(text):
    with pytest.raises(NotANumber):
        parse_number(text)


def test_a_count_is_whole_and_not_negative():
    assert parse_count("1 007") == 1007
    for text in ("-1", "2,5"):
        with pytest.raises(NotANumber):
            parse_count(text)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("11/26/2026 14:05", date(2026, 11, 26)),
        ("11/26/2026", date(2026, 11, 26)),
        ("2026-11-26", date(2026, 11, 26)),
        ("26.11.2026", date(2026, 11, 26)),
        ("Nov 26, 2026", date(2026, 11, 26)),
        ("26 Nov 2026", date(2026, 11, 26)),
    ],
)
def test_dates_as_the_platforms_write_them(text, expected):
    assert parse_date(text) == expected


def test_a_slash_date_can_be_read_day_first_and_nonsense_is_refused():
    assert parse_date("03/04/2026", month_first=False) == date(2026, 4, 3)
    for text in ("13/26/2026", "i går", "31.02.2026"):
        with pytest.raises(NotADate):
            parse_date(text)


# --------------------------------------------------------------------------- the platforms' files


def test_a_facebook_export_from_meta_business_suite(member, draft):
    evaluation = draft("facebook")
    page, evaluation = read_and_save(member, evaluation, "Nov-26-2026_Nov-26-2026_1234.csv", files.facebook_csv())
    assert "Meta Business Suite – Facebook" in page
    assert PostFigure.objects.filter(account=evaluation.account).count() == 3
    # November's two posts (the third is from December, outside the period).
    assert (evaluation.posts_photo, evaluation.posts_video, evaluation.posts_link) == (1, 1, 0)
    assert (evaluation.views, evaluation.reach) == (2000, 1550)
    assert evaluation.engagement == (40 + 6 + 3) + (25 + 4 + 2)
    assert evaluation.comments_received == 10


def test_a_caption_over_several_lines_with_commas_and_quotes_is_one_post(draft):
    source = importing.read_file(files.facebook_csv())
    parsed = importing.recognise(source)
    assert [p["post_id"] for p in parsed.posts] == ["111_1", "111_2", "111_3"]
    assert source.tables[0].rows[1][1][4].startswith("Ny video frå tappinga,\nmed «hjarte»")


def test_the_same_file_again_counts_no_post_twice_and_an_overlapping_one_updates(member, draft):
    evaluation = draft("facebook")
    read_and_save(member, evaluation, "fb.csv", files.facebook_csv())
    page, evaluation = read_and_save(member, evaluation, "fb.csv", files.facebook_csv())
    assert "Already in the portal" in page or "Allerede i portalen" in page
    assert PostFigure.objects.filter(account=evaluation.account).count() == 3
    assert evaluation.views == 2000
    overlapping = files.facebook_csv(
        [
            files.facebook_row("111_2", "11/20/2026 14:05", 900, 700, 30, 4, 2, kind="Video"),  # more views since
            files.facebook_row("111_4", "11/25/2026 12:00", 100, 80, 5, 0, 0, kind="Status"),
        ]
    )
    _page, evaluation = read_and_save(member, evaluation, "fb-later.csv", overlapping)
    assert PostFigure.objects.filter(account=evaluation.account).count() == 4
    assert evaluation.views == 1200 + 900 + 100
    assert (evaluation.posts_photo, evaluation.posts_video, evaluation.posts_text) == (1, 1, 1)


def test_views_were_once_called_impressions(draft):
    header = ["Impressions" if h == "Views" else h for h in files.FACEBOOK_HEADER]
    parsed = importing.recognise(
        importing.read_file(files.csv_bytes(header, [files.facebook_row("9", "11/02/2026 09:15", 10, 5, 1, 1, 1)]))
    )
    assert parsed.posts[0]["views"] == 10


def test_an_instagram_export_with_swedish_headings_and_odd_spacing(member, draft):
    swedish = {
        "Post ID": "Publicerings-id",
        "Account username": "Kontots användarnamn",
        "Publish time": "  publiceringstid ",
        "Views": "Visningar",
        "Reach": "Räckvidd",
        "Likes": "Gilla-markeringar",
        "Comments": "Kommentarer",
        "Shares": "Delningar",
        "Saves": "Sparade",
        "Post type": "Publiceringstyp",
    }
    header = [swedish.get(h, h) for h in files.INSTAGRAM_HEADER]
    evaluation = draft("instagram")
    page, evaluation = read_and_save(member, evaluation, "ig.csv", files.instagram_csv(header))
    assert "Meta Business Suite – Instagram" in page
    assert (evaluation.posts_photo, evaluation.posts_video) == (1, 1)
    assert evaluation.views == 5500 and evaluation.reach == 4400
    assert evaluation.engagement == (120 + 8 + 5 + 9) + (300 + 22 + 14 + 30)


def test_norwegian_meta_headings_are_recognised_too(draft):
    norwegian = {"Publish time": "Publiseringstidspunkt", "Views": "Visninger", "Reach": "Rekkevidde"}
    header = [norwegian.get(h, h) for h in files.INSTAGRAM_HEADER]
    parsed = importing.recognise(importing.read_file(files.instagram_csv(header)))
    assert parsed.file_format == "instagram" and parsed.posts[1]["reach"] == 2900


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_a_linkedin_export_with_a_note_above_the_headings(member, draft, kind):
    evaluation = draft("linkedin")
    services.evaluation_save(
        evaluation=evaluation,
        actor=evaluation.created_by,
        content=services.EvaluationContent(
            period_start=date(2026, 11, 1), period_end=date(2026, 11, 30), followers_start=900
        ),
    )
    content = files.linkedin_xlsx() if kind == "xlsx" else files.linkedin_xls()
    page, evaluation = read_and_save(member, evaluation, f"blodbanken_content.{kind}", content)
    assert "LinkedIn" in page
    assert list(PostFigure.objects.order_by("post_id").values_list("post_id", flat=True)) == [
        "urn:li:activity:7000000000000000001",
        "urn:li:ugcPost:7000000000000000002",
    ]
    assert DailyFigure.objects.filter(account=evaluation.account).count() == 2
    assert (evaluation.posts_photo, evaluation.posts_video) == (1, 1)
    assert evaluation.views == 6500  # the posts' impressions, not the daily metrics as well
    assert evaluation.followers_end == 900 + 7 + 4  # new followers per day added to the count typed in


def test_a_youtube_zip_leaves_out_the_total_row(member, draft):
    evaluation = draft("youtube")
    page, evaluation = read_and_save(member, evaluation, "Content 2026-11-01_2026-11-30.zip", files.youtube_zip())
    assert "Total" in page  # the note that the Total row was left out
    assert PostFigure.objects.filter(account=evaluation.account).count() == 2
    assert evaluation.views == 1500  # not 3000: the Total row is not added to the videos
    assert evaluation.posts_video == 2


def test_a_youtube_zip_with_its_files_in_a_folder(draft):
    parsed = importing.recognise(importing.read_file(files.youtube_zip(folder="Content 2026-11-01_2026-11-30/")))
    assert len(parsed.posts) == 2


def test_any_other_csv_with_the_columns_chosen_and_remembered(member, draft):
    evaluation = draft("tiktok")
    response = send(member, evaluation, "tiktok.csv", files.generic_csv())
    assert response.status_code == 302
    page = member.get(response["Location"]).content.decode()
    assert "Meta Business Suite" in page and "Hvilken kolonne som er hva" in page
    figure_import = FigureImport.objects.get()
    url = reverse("evaluations:import_check", args=[evaluation.pk, figure_import.pk])
    # Two figures in one column is refused; then a right choice.
    bad = member.post(url, {"date": "Dato", "views": "Visningar", "reactions": "Visningar"})
    assert bad.status_code == 400
    mapping = {
        "date": "Dato",
        "views": "Visningar",
        "reactions": "Likerklikk",
        "new_followers": "Nye følgjarar",
        "followers": "Følgjarar totalt",
        "day_first": "on",
    }
    assert member.post(url, mapping).status_code == 302
    member.post(reverse("evaluations:import_save", args=[evaluation.pk, figure_import.pk]))
    days = list(
        DailyFigure.objects.order_by("day").values_list("day", "views", "reactions", "new_followers", "followers")
    )
    assert days == [
        (date(2026, 11, 1), 1234, 56, 7, 1007),
        (date(2026, 11, 2), 2000, 40, -2, 1005),
        (date(2026, 11, 3), None, 10, None, None),
    ]
    evaluation.refresh_from_db()
    assert evaluation.views == 3234 and evaluation.followers_end == 1005
    assert ColumnMapping.objects.get().mapping["views"] == "Visningar"
    # The next file with the same columns is read at once with the same choice.
    again = send(member, evaluation, "tiktok-desember.csv", files.generic_csv())
    second = FigureImport.objects.latest("pk")
    assert second.file_format == "generic" and second.day_rows == 3
    assert again.status_code == 302


# --------------------------------------------------------------------------- bad files


def refused(client, evaluation, name, content, *words, status=400):
    response = send(client, evaluation, name, content)
    assert response.status_code == status, response.content.decode()[:1000]
    page = response.content.decode()
    for word in words:
        assert word in page, word
    assert not FigureImport.objects.exists() and not PostFigure.objects.exists()
    return page


def test_a_file_of_another_platform_than_the_accounts(member, draft):
    refused(member, draft("facebook"), "ig.csv", files.instagram_csv(), "Instagram", "Facebook")


def test_an_excel_file_we_do_not_know_names_the_expected_headings(member, draft):
    content = files.linkedin_xlsx({"Ark1": [["Navn", "Tal"], ["a", 1]]})
    refused(member, draft("linkedin"), "ukjend.xlsx", content, "Post link", "Created date", "Total followers")


def test_an_unknown_csv_names_the_expected_headings_and_offers_the_mapping(member, draft):
    evaluation = draft("facebook")
    response = send(member, evaluation, "rart.csv", b"Kolonne A,Kolonne B\n1,2\n")
    page = member.get(response["Location"]).content.decode()
    assert "Page ID" in page and "Publish time" in page and "Table data.csv" in page
    assert 'name="date"' in page  # the mapping form


def test_a_file_in_the_wrong_encoding(member, draft):
    content = "Post ID,Page ID\n1,2\n".encode("utf-16")
    refused(member, draft("facebook"), "utf16.csv", content, "UTF-16", "CSV UTF-8")
    refused(member, draft("instagram"), "rar.csv", b"Dato;Visninger\n\x81\x8d;12\n", "CSV UTF-8")


def test_values_that_are_not_numbers_or_negative_are_listed_and_nothing_is_saved(member, draft):
    rows = [
        files.facebook_row("1", "11/02/2026 09:15", "mange", 10, 1, 1, 1),
        files.facebook_row("2", "11/03/2026 09:15", 10, -5, 1, 1, 1),
        files.facebook_row("3", "i går", 10, 5, 1, 1, 1),
    ]
    evaluation = draft("facebook")
    response = send(member, evaluation, "fb.csv", files.csv_bytes(files.FACEBOOK_HEADER, rows))
    page = member.get(response["Location"]).content.decode()
    assert "mange" in page and "-5" in page and "i går" in page
    figure_import = FigureImport.objects.get()
    response = member.post(reverse("evaluations:import_save", args=[evaluation.pk, figure_import.pk]))
    assert not PostFigure.objects.exists()


def test_a_zip_that_is_not_a_youtube_export(member, draft):
    refused(member, draft("youtube"), "bilete.zip", files.zip_of({"bilete.jpg": b"\xff\xd8"}), "Table data.csv")


def test_a_zip_bomb_is_not_unpacked(member, draft):
    refused(member, draft("youtube"), "bomb.zip", files.zip_bomb(60), "zip-bombe")


def test_a_zip_with_paths_that_climb_out(member, draft):
    evaluation = draft("youtube")
    content = files.youtube_zip(extra={"../../etc/cron.d/evil": "* * * * * root rm -rf /"})
    refused(member, evaluation, "yt.zip", content, "../../etc/cron.d/evil")
    refused(member, evaluation, "yt2.zip", files.zip_of({"/etc/passwd": "x"}), "/etc/passwd")


def test_a_damaged_excel_file(member, draft):
    evaluation = draft("linkedin")
    refused(member, evaluation, "skadd.xlsx", files.linkedin_xlsx()[:2000])
    refused(member, evaluation, "skadd.xls", importing.OLE_MAGIC + b"\0" * 600)


class CountingInput(io.RawIOBase):
    """A request body of `size` bytes that counts how much of it is read."""

    def __init__(self, size):
        self.size, self.consumed = size, 0

    def readable(self):
        return True

    def read(self, n=-1):
        n = self.size - self.consumed if n is None or n < 0 else min(n, self.size - self.consumed)
        self.consumed += n
        return b"x" * n

    def readline(self, size=-1):
        return self.read(min(size if size and size > 0 else 64, 64))


def test_a_50_mb_file_is_refused_before_its_body_is_read(rf, cast, draft):
    evaluation = draft("facebook")
    body = CountingInput(50 * 1024 * 1024)
    request = rf.post(
        reverse("evaluations:import", args=[evaluation.pk]),
        data=b"",
        content_type="multipart/form-data; boundary=grense",
        **{"wsgi.input": body, "CONTENT_LENGTH": str(body.size)},
    )
    request.user = cast["member"]
    response = upload(request, pk=evaluation.pk)
    assert response.status_code == 413
    assert "10 MB" in response.content.decode()
    assert body.consumed == 0
    assert not FigureImport.objects.exists()


def test_a_file_part_over_the_limit_is_cut_off_while_it_is_read(member, draft, settings):
    settings.EVALUATION_UPLOAD_MAX_BYTES = 100_000
    evaluation = draft("facebook")
    big = files.facebook_csv() + b"," * 150_000  # declared size within the form's allowance, file over the limit
    page = refused(member, evaluation, "stor.csv", big, status=413)
    assert "larger than" in page or "større enn" in page


def test_an_empty_file_and_no_file(member, draft):
    evaluation = draft("facebook")
    refused(member, evaluation, "tom.csv", b"\xef\xbb\xbf\n")
    response = member.post(reverse("evaluations:import", args=[evaluation.pk]), {})
    assert response.status_code == 400


def test_an_import_is_only_for_a_draft_of_ones_own_unit(client, cast, draft):
    evaluation = draft("facebook")
    client.force_login(cast["other"])
    assert send(client, evaluation, "fb.csv", files.facebook_csv()).status_code == 404
    client.force_login(cast["adviser"])
    assert send(client, evaluation, "fb.csv", files.facebook_csv()).status_code == 403
    assert not FigureImport.objects.exists()
