"""What people read: addresses decoded, with look-alike characters marked and named; a report's
reference and a report of a copy; dates typed as dd.mm.åååå; the portal's own wording where
Django would have its generic one."""

import re

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from core.models import OutboundEmail
from platforms.display import lookalikes_in, marked_address, plain_address, readable_address
from registry.models import Report

LOOKALIKE = "https://www.instagram.com/blodb%D0%B0nken_ung/"  # a Cyrillic а, as a canonical address spells it
DECODED = "https://www.instagram.com/blodb\u0430nken_ung/"
NAME = "U+0430 CYRILLIC SMALL LETTER A"


@pytest.mark.parametrize(
    "text,readable",
    [
        (LOOKALIKE, DECODED),
        (DECODED, DECODED),
        ("https://www.facebook.com/blodbanken/", "https://www.facebook.com/blodbanken/"),
        # Escapes of ASCII keep their meaning, and what is not UTF-8 stays as it was.
        ("https://x.com/a%2Fb%20c?q=%3F", "https://x.com/a%2Fb%20c?q=%3F"),
        ("https://x.com/%FF%FE", "https://x.com/%FF%FE"),
        ("https://x.com/%d0%b0", "https://x.com/\u0430"),
        ("", ""),
    ],
)
def test_readable_address(text, readable):
    assert readable_address(text) == readable


def test_marked_address_names_each_character_outside_ascii():
    html = marked_address(LOOKALIKE)
    assert "%D0" not in html
    assert (
        f'<mark class="portal-lookalike" title="{NAME}">\u0430<span class="ds-sr-only"> ({NAME})</span></mark>' in html
    )
    assert html.startswith("https://www.instagram.com/blodb") and html.endswith("nken_ung/")
    assert lookalikes_in(LOOKALIKE) == (f"\u0430 ({NAME})",)


def test_characters_nobody_can_see_are_shown_by_their_code_point():
    hidden = "https://x.com/blod%E2%80%8Bbanken%E2%80%AE"  # a zero-width space and a right-to-left override
    assert plain_address(hidden) == "https://x.com/blod[U+200B]banken[U+202E]"
    html = marked_address(hidden)
    assert "\u200b" not in html and "\u202e" not in html and "[U+200B]" in html and "[U+202E]" in html


def test_marked_address_escapes_markup():
    html = marked_address('https://x.com/"><script>alert(1)</script>')
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_verify_page_shows_the_address_decoded_and_marked(client, catalogue):
    page = client.get(reverse("registry:verify"), {"q": LOOKALIKE}).content.decode()
    assert "%D0%B0" not in page.split("<main")[1].split('name="q"')[1].split("</form>")[1].replace("%25D0%25B0", "")
    assert 'class="portal-lookalike"' in page and NAME in page
    # The button to report it opens the form with the address as people read it.
    link = re.search(r'href="(/meld-fra/\?url=[^"]+)"', page).group(1).replace("&amp;", "&")
    form = client.get(link).content.decode()
    assert f'value="{DECODED}"' in form


def test_the_queue_the_report_and_the_e_mail_read_the_address_decoded(client, cast):
    client.post(reverse("registry:report"), {"url": LOOKALIKE, "what_is_wrong": "Kopi av namnet."})
    report = Report.objects.get()
    email = OutboundEmail.objects.get(template="report_received")
    assert DECODED in email.subject and "%D0" not in email.subject
    assert DECODED in email.body_text and f"\u0430 ({NAME})" in email.body_text
    assert DECODED in email.body_html and "%D0" not in email.body_html
    client.force_login(cast["adviser"])
    for url in (reverse("registry:reports"), reverse("registry:report_detail", args=[report.pk])):
        page = client.get(url).content.decode()
        shown = re.sub(r'href="[^"]*"', "", page)  # the link itself keeps the canonical address
        assert "%D0%B0" not in shown, url
        assert 'class="portal-lookalike"' in page, url
    detail = client.get(reverse("registry:report_detail", args=[report.pk])).content.decode()
    assert f"\u0430 ({NAME})" in detail  # named in the list of look-alike characters


def test_the_public_page_of_an_account_offers_to_report_a_copy(client, make_account):
    account = make_account(status="active")
    page = client.get(reverse("registry:public_account", args=[account.code])).content.decode()
    link = re.search(r'href="(/meld-fra/\?kopi=[^"]+)"', page).group(1)
    form = client.get(link).content.decode()
    assert f'name="copy_of" value="{account.code}"' in form
    assert f'<option value="{account.platform.pk}" selected>' in form
    assert "Blodbanken i Bergen" in form and account.url in form  # in the text of what is wrong
    assert re.search(r'id="id_url"[^>]*>', form) and 'value="https' not in re.search(
        r"<input[^>]*id=\"id_url\"[^>]*>", form
    ).group(0)
    # Sent without the copy's address: the form comes back, still about the same account.
    response = client.post(link, {"copy_of": account.code, "url": "", "what_is_wrong": "Kopi"})
    assert response.status_code == 400 and f'name="copy_of" value="{account.code}"' in response.content.decode()
    client.post(
        link, {"copy_of": account.code, "url": "https://www.instagram.com/blodbanken_bergen_/", "what_is_wrong": "Kopi"}
    )
    assert Report.objects.get().url == "https://www.instagram.com/blodbanken_bergen_/"


def test_an_account_being_set_up_has_no_copies_to_report(client, make_account):
    account = make_account(status="setup")
    assert "kopi=" not in client.get(reverse("registry:public_account", args=[account.code])).content.decode()
    # Nor does a code that is not an account's change the form.
    assert 'name="copy_of"' not in client.get(reverse("registry:report"), {"kopi": account.code}).content.decode()


@pytest.mark.parametrize("spelling", ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"])
def test_closing_an_account_on_a_day_typed_as_people_write_it(spelling, client, cast, make_account):
    account = make_account(status="active")
    today = timezone.localdate()
    typed, expected = today.strftime(spelling), today.isoformat()
    client.force_login(cast["adviser"])
    page = client.get(reverse("registry:detail", args=[account.pk])).content.decode()
    field = re.search(r'<input[^>]*id="on-close"[^>]*>', page).group(0)
    assert 'type="text"' in field and 'placeholder="dd.mm.åååå"' in field and 'type="date"' not in page
    asked = client.post(reverse("registry:action", args=[account.pk, "close"]), {"on": typed})
    account.refresh_from_db()
    assert account.status == "active" and f'value="{typed}"' in asked.content.decode()
    client.post(reverse("registry:action", args=[account.pk, "close"]), {"on": typed, "confirmed": "1"})
    account.refresh_from_db()
    assert account.status == "closed" and account.closed_on.isoformat() == expected


def test_a_date_that_does_not_exist_is_refused_in_words(client, cast, make_account):
    account = make_account(status="active")
    client.force_login(cast["adviser"])
    page = client.post(reverse("registry:action", args=[account.pk, "close"]), {"on": "31.02.2026"}, follow=True)
    assert "Skriv datoen som dag, måned og år, for eksempel 26.11.2026." in page.content.decode()
    account.refresh_from_db()
    assert account.status == "active"


def test_activating_too_early_names_what_is_missing_in_the_pages_language(client, cast, make_account):
    account = make_account(status="setup")
    client.force_login(cast["adviser"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = client.post(reverse("registry:action", args=[account.pk, "activate"]), follow=True).content.decode()
    assert "Ikkje kryssa av enno:" in page and "Not yet ticked" not in page


@pytest.mark.parametrize(
    "language,required,email",
    [
        ("nb", "Fyll ut dette feltet.", "Skriv en hel e-postadresse, for eksempel navn@eksempel.no."),
        ("nn", "Fyll ut dette feltet.", "Skriv ei heil e-postadresse, til dømes namn@eksempel.no."),
        ("en", "Fill in this field.", "Write a whole e-mail address, for example name@example.no."),
    ],
)
def test_generic_messages_are_in_the_portals_own_words(language, required, email):
    with translation.override(language):
        form = type("F", (forms.Form,), {"name": forms.CharField(), "email": forms.EmailField()})(
            {"name": "", "email": "ikkje-ei-adresse"}
        )
        assert form.errors == {"name": [required], "email": [email]}
        assert "påkrevet" not in str(form.errors) and "Oppgi en gyldig" not in str(form.errors)


def test_forms_leave_checking_to_the_portal(client, cast):
    """No form lets the browser's own pop-up (in the browser's language) speak for the portal."""
    client.force_login(cast["adviser"])
    for url in (reverse("core:home"), reverse("handbook:index"), reverse("registry:report")):
        page = client.get(url).content.decode()
        for form, body in re.findall(r"(<form[^>]*>)(.*?)</form>", page, re.S):
            if " required" in body:
                assert "novalidate" in form, (url, form)
    home = client.get(reverse("core:home")).content.decode()
    assert "novalidate" in re.search(r'<form[^>]*action="/verifiser/"[^>]*>', home).group(0)
