"""What a package holds: its case folder, its record with the record type and status an
archivist expects (the table in docs/archive.md), and its documents as PDF/A.

Made by the worker after the change has committed, never in a person's request: the PDFs take
a while, and a failure here leaves the package waiting with the reason, not the change undone.
Titles are in the organisation's language (Bokmål), as the archive keeps them, whoever acted.
"""

from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from core.pdf import write_pdf

from . import arkivmelding as am
from .models import Package, PackageKind

CASE_TITLE = "Plan for sosiale medier"

# Record type (journalposttype) and status (journalstatus) of each kind; see docs/archive.md.
INTERNAL_FOLLOW_UP = am.Code("N", "Organinternt dokument for oppfølging")
INTERNAL_NO_FOLLOW_UP = am.Code("X", "Organinternt dokument uten oppfølging")
REGISTERED = am.Code("J", "Journalført")
FINISHED = am.Code("F", "Ferdigstilt av saksbehandler")
INTERNAL_SENDER = am.Code("IA", "Intern avsender")
INTERNAL_RECIPIENT = am.Code("IM", "Intern mottaker")

APPLICATION = am.Code("SØKNAD", "Søknad")
DECISION = am.Code("VEDTAK", "Vedtak")
LETTER = am.Code("KORR", "Korrespondanse")
REPORT = am.Code("RAPPORT", "Rapport")
STATEMENT = am.Code("UTTALELSE", "Uttalelse")
NOTE = am.Code("NOTAT", "Notat")
ATTACHMENT = am.Code("VEDLEGG", "Vedlegg")

DECISION_WORDS = {"approved": "godkjent", "rejected": "ikke godkjent", "changes_requested": "endringer bedt om"}
EVALUATION_WORDS = {"continue": "fortsette som planlagt", "adjust": "justere planen", "close": "legge ned kontoen"}


class Title:
    """A title and its public form: the parts a person wrote (a plan's own name, an account's
    name) are hidden in the public title when the records are screened."""

    def __init__(self):
        self.parts: list[tuple[str, bool]] = []

    def add(self, text: str, *, free: bool = False) -> "Title":
        if text:
            self.parts.append((text, free))
        return self

    def text(self) -> str:
        return "".join(text for text, _free in self.parts)

    def public(self, screened: bool) -> str:
        return "".join(am.SCREENED if free and screened else text for text, free in self.parts)


def case_for(package: Package) -> am.Case | None:
    plan = package.plan
    if plan is None:
        return None
    platforms = ", ".join(channel.platform.name for channel in plan.channels.all()) or "–"
    title = f"{CASE_TITLE} – {plan.unit.name} – {platforms}"
    first_sent = plan.versions.order_by("number").values_list("created_at", flat=True).first()
    return am.Case(
        key=package.case_key,
        title=title,
        public_title=title,
        description=f"Enhetens plan for sosiale medier og Kommunikasjonsavdelingens behandling av den: {plan.title}",
        party=plan.unit.name,
        opened_on=timezone.localdate(first_sent or package.happened_at),
    )


def record_for(package: Package) -> tuple[am.Record, Title]:
    """The record of a package, with its documents made now (PDF/A)."""
    with translation.override(django_settings.LANGUAGE_CODE):
        return _RECORDS[package.kind](package)


def _record(package, title: Title, *, record_type, status, correspondent, correspondent_type, documents):
    screened = package.settings.screened
    return am.Record(
        key=str(package.uuid),
        title=title.text(),
        public_title=title.public(screened),
        record_type=record_type,
        record_status=status,
        document_date=timezone.localdate(package.happened_at),
        created_at=timezone.localtime(package.happened_at),
        created_by=package.actor_name or package.settings.system,
        correspondent=correspondent,
        correspondent_type=correspondent_type,
        comment=package.comment if package.comment and not screened else "",
        documents=documents,
    ), title


def _as_sent(version) -> tuple[str, str]:
    """The plan's name and unit as the version froze them (a plan renamed later keeps its record)."""
    snapshot = version.snapshot or {}
    return snapshot.get("title") or version.plan.title, snapshot.get("unit") or version.plan.unit.name


def _plan_sent(package: Package):
    from plans.pdf import version_pdf

    version = package.version
    plan_title, unit = _as_sent(version)
    title = Title().add(f"{CASE_TITLE}, versjon {version.number}: ").add(plan_title, free=True)
    document = am.Document(
        title=title.text(),
        file_name=f"plan-versjon-{version.number}.pdf",
        shown_name=f"{_name(plan_title)}-versjon-{version.number}.pdf",
        content=version_pdf(version.pk, archival=True),
        document_type=APPLICATION,
    )
    return _record(
        package,
        title,
        record_type=INTERNAL_FOLLOW_UP,
        status=REGISTERED,
        correspondent=unit,
        correspondent_type=INTERNAL_SENDER,
        documents=[document],
    )


def _plan_decided(package: Package):
    from plans.pdf import version_pdf

    version = package.version
    plan_title, unit = _as_sent(version)
    words = DECISION_WORDS.get(package.decision, package.decision)
    title = Title().add(f"Vedtak: {words} – plan for sosiale medier, versjon {version.number}: ")
    title.add(plan_title, free=True)
    letter = _letter(
        package,
        heading=f"Vedtak om plan for sosiale medier: {words}",
        lines=[
            ("Enhet", unit),
            ("Plan", plan_title),
            ("Versjon", str(version.number)),
            ("Vedtak", words),
            ("Vedtatt av", package.actor_name),
            ("Dato", _date(package.happened_at)),
        ],
        body=package.comment,
    )
    changes = package.decision == "changes_requested"
    documents = [
        am.Document(
            title=title.text(),
            file_name="vedtak.pdf",
            shown_name=f"vedtak-{_name(plan_title)}-versjon-{version.number}.pdf",
            content=letter,
            document_type=LETTER if changes else DECISION,
        ),
        am.Document(
            title=f"{CASE_TITLE}, versjon {version.number}",
            file_name=f"plan-versjon-{version.number}.pdf",
            shown_name=f"{_name(plan_title)}-versjon-{version.number}.pdf",
            content=version_pdf(version.pk, archival=True),
            document_type=ATTACHMENT,
            main=False,
        ),
    ]
    return _record(
        package,
        title,
        record_type=INTERNAL_FOLLOW_UP if changes else INTERNAL_NO_FOLLOW_UP,
        status=FINISHED,
        correspondent=unit,
        correspondent_type=INTERNAL_RECIPIENT,
        documents=documents,
    )


def _evaluation_title(evaluation) -> Title:
    period = f"{evaluation.period_start:%d.%m.%Y}–{evaluation.period_end:%d.%m.%Y}"
    title = Title().add("Evaluering av kontoen ").add(evaluation.account.display_name, free=True)
    return title.add(f" ({evaluation.platform.name}), {period}")


def _evaluation_document(evaluation, title: Title, *, main=True) -> am.Document:
    from evaluations.pdf import evaluation_pdf, evaluation_pdf_filename

    return am.Document(
        title=title.text(),
        file_name="evaluering.pdf",
        shown_name=evaluation_pdf_filename(evaluation),
        content=evaluation_pdf(evaluation, archival=True),
        document_type=REPORT if main else ATTACHMENT,
        main=main,
    )


def _evaluation_sent(package: Package):
    evaluation = package.evaluation
    title = _evaluation_title(evaluation)
    if evaluation.decision:
        title.add(f": {EVALUATION_WORDS.get(evaluation.decision, evaluation.decision)}")
    return _record(
        package,
        title,
        record_type=INTERNAL_FOLLOW_UP,
        status=REGISTERED,
        correspondent=evaluation.unit.name,
        correspondent_type=INTERNAL_SENDER,
        documents=[_evaluation_document(evaluation, title)],
    )


def _evaluation_answered(package: Package):
    evaluation = package.evaluation
    title = Title().add("Tilbakemelding på evaluering av kontoen ").add(evaluation.account.display_name, free=True)
    title.add(f" ({evaluation.platform.name}), {evaluation.period_start:%d.%m.%Y}–{evaluation.period_end:%d.%m.%Y}")
    letter = _letter(
        package,
        heading="Tilbakemelding fra Kommunikasjonsavdelingen på evaluering",
        lines=[
            ("Enhet", evaluation.unit.name),
            ("Konto", f"{evaluation.account.display_name} ({evaluation.platform.name})"),
            ("Periode", f"{evaluation.period_start:%d.%m.%Y}–{evaluation.period_end:%d.%m.%Y}"),
            ("Enhetens beslutning", EVALUATION_WORDS.get(evaluation.decision, evaluation.decision or "–")),
            ("Tilbakemelding fra", package.actor_name),
            ("Dato", _date(package.happened_at)),
        ],
        body=evaluation.feedback,
    )
    documents = [
        am.Document(
            title=title.text(),
            file_name="tilbakemelding.pdf",
            shown_name="tilbakemelding.pdf",
            content=letter,
            document_type=STATEMENT,
        ),
        _evaluation_document(evaluation, _evaluation_title(evaluation), main=False),
    ]
    return _record(
        package,
        title,
        record_type=INTERNAL_NO_FOLLOW_UP,
        status=FINISHED,
        correspondent=evaluation.unit.name,
        correspondent_type=INTERNAL_RECIPIENT,
        documents=documents,
    )


def _account_closed(package: Package):
    account = package.account
    title = Title().add("Kontoen ").add(account.display_name, free=True)
    title.add(f" ({account.platform.name}) er lagt ned")
    letter = _letter(
        package,
        heading="Offisiell konto lagt ned",
        lines=[
            ("Enhet", account.unit.name),
            ("Konto", f"{account.display_name} ({account.platform.name})"),
            ("Adresse", account.url),
            ("Lagt ned", _date(package.happened_at)),
            ("Registrert av", package.actor_name or "–"),
        ],
        body=package.comment,
    )
    document = am.Document(
        title=title.text(),
        file_name="nedlegging.pdf",
        shown_name=f"nedlegging-{_name(account.display_name)}.pdf",
        content=letter,
        document_type=NOTE,
    )
    return _record(
        package,
        title,
        record_type=INTERNAL_NO_FOLLOW_UP,
        status=FINISHED,
        correspondent=account.unit.name,
        correspondent_type=INTERNAL_SENDER,
        documents=[document],
    )


_RECORDS = {
    PackageKind.PLAN_SENT: _plan_sent,
    PackageKind.PLAN_DECIDED: _plan_decided,
    PackageKind.EVALUATION_SENT: _evaluation_sent,
    PackageKind.EVALUATION_ANSWERED: _evaluation_answered,
    PackageKind.ACCOUNT_CLOSED: _account_closed,
}


def _letter(package: Package, *, heading: str, lines: list[tuple[str, str]], body: str) -> bytes:
    """A short document of the portal's own (a decision, feedback, a closing) as PDF/A."""
    html = render_to_string(
        "archive/pdf/record.html",
        {
            "heading": heading,
            "organisation": package.settings.author,
            "lines": [(label, value) for label, value in lines if value],
            "body": body,
            "font_dir": (django_settings.BASE_DIR / "static" / "vendor" / "inter").as_uri(),
        },
    )
    return write_pdf(html, author=package.settings.author, created=package.happened_at, archival=True)


def _date(moment) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y}"


def _name(text: str) -> str:
    return (
        slugify(text.translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})))[:60]
        or "dokument"
    )
