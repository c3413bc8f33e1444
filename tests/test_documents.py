"""The plan as PDF and the blank template as Word."""

import io
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from plans import services
from plans import template_text as tt


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_a_draft_downloads_as_pdf_with_every_field(client, cast, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["member"])
    response = client.get(reverse("plans:pdf", args=[plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for field in tt.FIELDS:
        assert field.name in text
    assert "Plan for sosiale medier for: Blodbanken i Bergen" in text
    assert "Nye givarar" in text and "Silje Dale" in text
    assert "Kommunikasjonsavdelingen" in text  # the template's closing note


def test_a_sent_version_pdf_shows_that_version(client, cast, make_plan):
    plan = make_plan("changes_requested")
    plan = services.plan_update(
        plan=plan,
        actor=cast["member"],
        revision=plan.revision,
        content=services.PlanContent(
            **{
                **{
                    k: getattr(plan, k)
                    for k in (
                        "main_target_group",
                        "content_types",
                        "content_themes",
                        "content_frequency",
                        "editor",
                        "hours_per_week",
                    )
                },
                "title": plan.title,
                "deputies": list(plan.deputies.all()),
                "goals": [{"goal": "Endra mål", "indicator": "i", "target_value": "t", "time_frame": "f"}],
                "channels": [{"platform": c.platform, "justification": "ok"} for c in plan.channels.all()],
            }
        ),
    )
    services.plan_resubmit(plan=plan, actor=cast["member"])
    client.force_login(cast["adviser"])
    first = pdf_text(client.get(reverse("plans:version_pdf", args=[plan.pk, 1])).content)
    second = pdf_text(client.get(reverse("plans:version_pdf", args=[plan.pk, 2])).content)
    assert "Fleire blodgivarar" in first and "Endra mål" not in first
    assert "Endra mål" in second


def test_html_typed_into_the_plan_is_text_in_the_pdf(client, cast, make_plan):
    plan = make_plan("draft", main_target_group="<b>feit</b><script>alert(1)</script>")
    client.force_login(cast["member"])
    text = pdf_text(client.get(reverse("plans:pdf", args=[plan.pk])).content)
    assert "<b>feit</b><script>alert(1)</script>" in text


def test_norwegian_letters_survive_in_the_pdf(client, cast, make_plan):
    plan = make_plan("draft", content_themes="Æ Ø Å æ ø å «sitat» – 5 €")
    client.force_login(cast["member"])
    assert "Æ Ø Å æ ø å «sitat» – 5 €" in pdf_text(client.get(reverse("plans:pdf", args=[plan.pk])).content)


def test_the_blank_template_is_a_word_document_with_the_hospitals_words(
    client, db
):  # the organisation's mailbox is in it
    response = client.get(reverse("plans:template_docx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for row in document.tables[0].rows for cell in row.cells)
    assert tt.TITLE in text and tt.INTRODUCTION in text and "info@helse-bergen.no" in text
    for field in tt.FIELDS:
        assert field.name in cells and field.guidance in cells
    assert len(document.tables[0].rows) == 6


@pytest.mark.parametrize("mailbox", ["kommunikasjon@example.no"])
def test_the_closing_note_names_the_configured_mailbox(mailbox, settings):
    settings.COMMS_MAILBOX = mailbox
    assert mailbox in tt.closing_note()
