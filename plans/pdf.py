"""The plan as PDF (WeasyPrint), from a frozen version or from the plan as it stands."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from accounts import organisations
from core.pdf import write_pdf

from . import template_text as tt
from .snapshot import plan_sections, plan_snapshot


def plan_pdf_filename(plan, version_number: int | None = None) -> str:
    suffix = f"-versjon-{version_number}" if version_number else ""
    title = slugify(plan.title)[:60].strip("-")
    return f"plan-for-sosiale-medier-{slugify(plan.unit.name)}{'-' + title if title else ''}{suffix}.pdf"


def render_plan_pdf(plan, version=None, *, archival: bool = False) -> bytes:
    """The plan as PDF: tagged for reading (PDF/UA-1), or for the archive (PDF/A-2a) with
    `archival` (see core/pdf.py). Its creation date is when the version was sent."""
    if version is not None:
        snapshot, printed_at = version.snapshot, version.created_at
    else:
        from .models import Plan

        snapshot, printed_at = plan_snapshot(Plan.objects.with_details().get(pk=plan.pk)), timezone.now()
    # The plan's organisation (its unit's) writes the document and is named on every page.
    organisation = organisations.get(plan.unit.organisation_id)
    html = render_to_string(
        "plans/pdf/plan.html",
        {
            "plan": plan,
            "organisation": organisation,
            "version": version,
            "snapshot": snapshot,
            "sections": plan_sections(snapshot),
            "title": tt.TITLE,
            "introduction": tt.INTRODUCTION,
            "closing_note": tt.closing_note(organisation),
            "printed_at": printed_at,
            "font_dir": (settings.BASE_DIR / "static" / "vendor" / "inter").as_uri(),
        },
    )
    # Tagged: headings, lists and the reading order are marked, and the document's language and
    # title are set, so a screen reader reads it as the page.
    return write_pdf(html, author=organisation.name, created=printed_at, archival=archival)


def version_pdf(version_id: int, *, archival: bool = False) -> bytes:
    """The PDF of a sent version; made by the worker when the e-mail goes out."""
    from .models import PlanVersion

    version = PlanVersion.objects.select_related("plan__unit", "decided_by", "confirmed_by").get(pk=version_id)
    return render_plan_pdf(version.plan, version, archival=archival)
