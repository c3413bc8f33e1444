"""The evaluation as a tagged PDF (PDF/UA), with the plan it measured, for the unit's
records and the department's archive."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from plans import template_text as tt
from plans.snapshot import plan_sections


def evaluation_pdf_filename(evaluation) -> str:
    return f"evaluering-{slugify(evaluation.account.display_name)}-{evaluation.period_end.isoformat()}.pdf"


def evaluation_pdf(evaluation) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "evaluations/pdf/evaluation.html",
        {
            "evaluation": evaluation,
            "goals": evaluation.goals.all(),
            "plan_sections": plan_sections(evaluation.plan_version.snapshot) if evaluation.plan_version else [],
            "plan_title": tt.TITLE,
            "result_field": tt.RESULT,
            "printed_at": timezone.now(),
            "font_dir": (settings.BASE_DIR / "static" / "vendor" / "inter").as_uri(),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
