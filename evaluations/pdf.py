"""The evaluation as a tagged PDF, with the plan it measured, for the unit's
records and the department's archive."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from accounts import organisations
from core.pdf import write_pdf
from plans import template_text as tt
from plans.snapshot import plan_sections


def evaluation_pdf_filename(evaluation) -> str:
    return f"evaluering-{slugify(evaluation.account.display_name)}-{evaluation.period_end.isoformat()}.pdf"


def evaluation_pdf(evaluation, *, archival: bool = False) -> bytes:
    """Tagged for reading (PDF/UA-1), or for the archive (PDF/A-2a) with `archival` (core/pdf.py)."""
    printed_at = timezone.now()
    # The account's organisation (its unit's) writes the document and is named in it.
    organisation = organisations.get(evaluation.account.unit.organisation_id)
    html = render_to_string(
        "evaluations/pdf/evaluation.html",
        {
            "evaluation": evaluation,
            "organisation": organisation,
            "goals": evaluation.goals.all(),
            "plan_sections": plan_sections(evaluation.plan_version.snapshot) if evaluation.plan_version else [],
            "plan_title": tt.TITLE,
            "result_field": tt.RESULT,
            "printed_at": printed_at,
            "font_dir": (settings.BASE_DIR / "static" / "vendor" / "inter").as_uri(),
        },
    )
    return write_pdf(html, author=organisation.name, created=printed_at, archival=archival)
