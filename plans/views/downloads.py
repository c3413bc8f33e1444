"""The plan as PDF and the blank DOCX template."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from ..docx import blank_template_docx
from ..pdf import plan_pdf_filename, render_plan_pdf
from ..workflow import EDITABLE_STATES
from .common import _plan


@login_required
def plan_pdf(request, pk, number=None):
    """The plan as PDF: a given version, or the plan as it stands. A plan that is not being
    written (sent, decided, withdrawn) is its latest version, with that version's status."""
    plan = _plan(request, pk)
    if number:
        version = get_object_or_404(plan.versions, number=number)
    elif plan.status not in EDITABLE_STATES and plan.current_version:
        version = plan.versions.get(number=plan.current_version)
    else:
        version = None
    response = HttpResponse(render_plan_pdf(plan, version), content_type="application/pdf")
    filename = plan_pdf_filename(plan, version.number if version else None)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def template_docx(request):
    response = HttpResponse(
        blank_template_docx(request.organisation),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = 'attachment; filename="plan-for-sosiale-medier-mal.docx"'
    return response
