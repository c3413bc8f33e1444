"""The demo mail catcher: a real SMTP server that keeps each message as an .eml file,
and the reading side used by the demo mail page."""

import email
import email.policy
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nh3
from django.conf import settings


class MaildirHandler:
    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        name = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}.eml"
        (self.directory / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


@dataclass
class CaughtMail:
    name: str
    message: email.message.EmailMessage

    @property
    def subject(self):
        return self.message["subject"]

    @property
    def to(self):
        return self.message["to"]

    @property
    def sender(self):
        return self.message["from"]

    @property
    def date(self):
        return self.message["date"].datetime if self.message["date"] else None

    @property
    def text(self):
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @property
    def html(self):
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""

    @property
    def safe_html(self) -> str:
        """The HTML part as the page may show it: see `shown_html`."""
        return shown_html(self.html)

    def attachments(self):
        return list(self.message.iter_attachments())


# What of an e-mail's HTML the demo page shows: its text, links, lists and tables. No script,
# style, image or form survives, and no attribute but a link's address and a table cell's scope,
# so a message cannot reach outside the page (the page's Content-Security-Policy allows no inline
# style either). Its headings are moved two levels down, under the page's own.
MAIL_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "div", "span",
}  # fmt: skip
MAIL_ATTRIBUTES = {"a": {"href"}, "th": {"scope"}}
HEADING = re.compile(r"<(/?)h([1-6])>")


def shown_html(html: str) -> str:
    if not html.strip():
        return ""
    clean = nh3.clean(
        html,
        tags=MAIL_TAGS,
        attributes=MAIL_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style", "title", "head"},
    )
    return HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}>", clean).strip()


def _directory() -> Path:
    return Path(settings.MAIL_CATCHER_DIR)


def caught_mail(limit: int = 200) -> list[CaughtMail]:
    directory = _directory()
    if not directory.exists():
        return []
    files = sorted(directory.glob("*.eml"), reverse=True)[:limit]
    return [read_mail(f.name) for f in files]


def read_mail(name: str) -> CaughtMail | None:
    path = _directory() / name
    if path.suffix != ".eml" or path.name != name or not path.is_file():
        return None
    with path.open("rb") as handle:
        return CaughtMail(name, email.message_from_binary_file(handle, policy=email.policy.default))
