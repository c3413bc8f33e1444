"""The page that shows what a file gave before it is saved: the column mapping only where
the person chooses the columns, and what was read said in words."""

import csv
import io
from datetime import date

from django.urls import reverse

from evaluations import examples
from evaluations.models import FigureImport, PostFigure

from . import evaluation_files as files
from . import test_evaluation_import
from .test_evaluation_import import send

# The import tests' fixtures: a draft evaluation for November 2026, and a logged-in member.
draft = test_evaluation_import.draft
member = test_evaluation_import.member


def check_page(client, evaluation, name, content):
    response = send(client, evaluation, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return response["Location"], page


def test_a_recognised_file_shows_what_was_read_and_no_column_mapping(member, draft):
    evaluation = draft("facebook")
    url, page = check_page(member, evaluation, "fb.csv", files.facebook_csv())
    text = page.content.decode()
    assert "Meta Business Suite – Facebook" in text
    assert page.context["mapping_form"] is None
    assert 'name="date"' not in text and "ikke i filen" not in text
    assert "Hvilken kolonne som er hva" not in text
    # Posting to the page of a recognised file reads nothing again and changes nothing.
    assert member.post(url, {"date": ""}).status_code == 302
    assert FigureImport.objects.get().file_format == "facebook"


def test_what_was_read_is_said_in_words_not_as_zero_days(member, draft):
    evaluation = draft("facebook")
    _url, page = check_page(member, evaluation, "fb.csv", files.facebook_csv())
    text = page.content.decode()
    assert "3 innlegg, publisert fra 2. november 2026 til 1. desember 2026" in text
    assert "0 dager" not in text


def test_one_post_and_days_with_figures_are_said_too(member, draft):
    evaluation = draft("facebook")
    one = files.facebook_csv([files.facebook_row("9", "11/02/2026 09:15", 10, 5, 1, 1, 1)])
    _url, page = check_page(member, evaluation, "fb.csv", one)
    assert "1 innlegg, publisert den 2. november 2026" in page.content.decode()
    tiktok = draft("tiktok")
    mapping = {"date": "Dato", "views": "Visningar", "followers": "Følgjarar totalt", "day_first": "on"}
    url, page = check_page(member, tiktok, "tiktok.csv", files.generic_csv())
    member.post(url, mapping)
    page = member.get(url).content.decode()
    assert "Tall for 3 dager, fra 1. november 2026 til 3. november 2026" in page


def test_a_file_read_with_chosen_columns_shows_the_choice_again(member, draft):
    evaluation = draft("tiktok")
    url, page = check_page(member, evaluation, "tiktok.csv", files.generic_csv())
    assert page.context["mapping_form"] is not None  # not recognised: the person chooses
    mapping = {"date": "Dato", "views": "Visningar", "reactions": "Likerklikk", "day_first": "on"}
    assert member.post(url, mapping).status_code == 302
    page = member.get(url)
    form = page.context["mapping_form"]
    assert {name: form[name].value() for name in ("date", "views", "reactions", "shares")} == {
        "date": "Dato",
        "views": "Visningar",
        "reactions": "Likerklikk",
        "shares": "",
    }
    assert form["day_first"].value() is True
    # Sent again as shown, it reads the file again the same way.
    assert member.post(url, mapping).status_code == 302
    assert FigureImport.objects.get().day_rows == 3


def test_a_recognised_file_with_bad_lines_asks_for_a_new_file_not_new_columns(member, draft):
    rows = [files.facebook_row("1", "11/02/2026 09:15", "mange", 10, 1, 1, 1)]
    _url, page = check_page(member, draft("facebook"), "fb.csv", files.csv_bytes(files.FACEBOOK_HEADER, rows))
    text = page.content.decode()
    assert "mange" in text and "last den opp igjen" in text
    assert "velg på nytt nedenfor" not in text


# --------------------------------------------------------------------------- the demo's example file


def test_the_demo_offers_an_example_export_of_the_accounts_period(member, draft, settings):
    settings.DEMO = True
    evaluation = draft("instagram")
    page = member.get(reverse("evaluations:import", args=[evaluation.pk])).content.decode()
    example_url = reverse("evaluations:import_example", args=[evaluation.pk])
    assert example_url in page
    response = member.get(example_url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert 'filename="Nov-01-2026_Nov-30-2026_instagram.csv"' in response["Content-Disposition"]
    url, check = check_page(member, evaluation, "export.csv", response.content)
    assert "Meta Business Suite – Instagram" in check.content.decode()
    member.post(reverse("evaluations:import_save", args=[evaluation.pk, check.context["figure_import"].pk]))
    evaluation.refresh_from_db()
    posts = PostFigure.objects.filter(account=evaluation.account)
    assert posts.count() >= 8 and all(date(2026, 11, 1) <= p.published_on <= date(2026, 11, 30) for p in posts)
    assert evaluation.views and evaluation.posts_video and evaluation.posts_photo


def test_the_example_is_only_in_the_demo_and_only_for_those_who_write(client, cast, draft, settings):
    evaluation = draft("facebook")
    url = reverse("evaluations:import_example", args=[evaluation.pk])
    settings.DEMO = False
    client.force_login(cast["member"])
    assert client.get(url).status_code == 404
    assert url not in client.get(reverse("evaluations:import", args=[evaluation.pk])).content.decode()
    settings.DEMO = True
    assert client.get(url).status_code == 200
    client.force_login(cast["other"])  # another unit's member
    assert client.get(url).status_code == 404
    client.force_login(cast["adviser"])  # sees the evaluation, but the unit writes it
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_two_example_files_that_overlap_hold_the_same_posts():
    first = examples.meta_export("facebook", date(2026, 11, 1), date(2026, 11, 20), name="Blodbanken")
    second = examples.meta_export("facebook", date(2026, 11, 10), date(2026, 11, 30), name="Blodbanken")
    ids = [{row[0] for row in list(csv.reader(io.StringIO(f.decode("utf-8-sig"))))[1:]} for f in (first, second)]
    assert ids[0] & ids[1] and not ids[0] >= ids[1]
