"""The course certificate as a tagged, accessible PDF (PDF/UA-1, with the document's
language and title), made with WeasyPrint in the holder's language, issued in the name of the
holder's organisation."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from accounts.organisations import get as organisation_of
from core.pdf import write_pdf

# Written out the way Norwegian does in addresses and file names, so "sjølvstudium" does not
# lose its "ø" (slugify drops letters it cannot turn into ASCII).
NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def certificate_filename(completion) -> str:
    title = slugify(completion.course.title.translate(NORWEGIAN_LETTERS))
    return f"kursbevis-{title}-{completion.completed_on:%Y-%m-%d}.pdf"


def render_certificate(completion) -> bytes:
    language = completion.user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string(
            "courses/pdf/certificate.html",
            {
                "completion": completion,
                "organisation": organisation_of(completion.user.organisation_id),
                "language": language,
                "font_dir": (settings.BASE_DIR / "static" / "vendor" / "inter").as_uri(),
            },
        )
    return write_pdf(html)
