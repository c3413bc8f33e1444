"""Uploaded files held for a confirmation, the same way for every flow (core.models.HeldUpload,
compare pretix's CachedFile): the organisation register's file between its dry run and the
administrator's "apply", an export of key figures between its check and "save", and the
register's import between its check and "import". Each flow keeps its own review screen and
record; the file itself is held here: who uploaded it, for what, its name, its bytes
(compressed), their SHA-256, and when it expires.

Hostile input and its guard:

- **A file larger than the flow takes**: a view decorated with `size_limited` answers a
  request that says it is larger without reading its body, and stops reading one that
  carries more as soon as the limit is passed, before Django keeps the file in memory or on
  disk; `hold` checks the size again, so nothing over the limit is ever stored.
- **A forged id, or someone else's**: `held_for` finds only the person's own file held for
  that purpose; anything else is a 404, the same answer as an id that never existed.
- **An old one**: a file past its `expires_at` is refused with a message that asks to upload
  it again (`HeldUploadExpired`), and the periodic job (core/periodic.py) deletes it.
"""

import hashlib
import zlib
from datetime import datetime, timedelta
from functools import wraps

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .errors import DomainError
from .models import HeldUpload

MB = 1024 * 1024
MAX_BYTES = 20 * MB  # no flow holds a larger file
# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


class HeldUploadExpired(DomainError):
    """The file was held too long: it is gone, or about to be. Upload it again."""

    def __init__(self, message=None):
        super().__init__(message or _("The checked file is too old. Upload it again."))


# --------------------------------------------------------------------------- receiving a file


def declared_too_large(request, max_bytes: int) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_bytes + FORM_OVERHEAD


class LimitedUploadHandler(FileUploadHandler):
    """Stops the request as soon as its files together pass the limit (before Django's own
    handlers have kept them in memory or on disk); the view sees `request.upload_too_large`."""

    def __init__(self, request=None, max_bytes: int = MAX_BYTES):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_uploads(request, max_bytes: int) -> None:
    """Put the limiting handler first; call before anything reads request.POST or FILES."""
    request.upload_too_large = False
    request.upload_handlers.insert(0, LimitedUploadHandler(request, max_bytes))


def size_limited(max_bytes, *, too_large):
    """A view that takes an upload of at most `max_bytes()` bytes. The size is checked before
    anything reads the request's body, so the CSRF check (which reads the form) comes after
    it. A request that says it is larger gets `too_large(request, …)` at once; the view
    itself finds `request.upload_too_large` set when the file was cut off while read."""

    def decorate(view):
        checked = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.upload_too_large = False
            if request.method == "POST":
                limit = max_bytes()
                if declared_too_large(request, limit):
                    return too_large(request, *args, **kwargs)
                limit_uploads(request, limit)
            return checked(request, *args, **kwargs)

        return wrapper

    return decorate


# --------------------------------------------------------------------------- holding it


def _record_key(record) -> tuple[ContentType | None, int | None]:
    if record is None:
        return None, None
    return ContentType.objects.get_for_model(record), record.pk


@transaction.atomic
def hold(
    *,
    owner,
    purpose: str,
    filename: str,
    content: bytes,
    lifetime: timedelta,
    max_bytes: int = MAX_BYTES,
    record=None,
    keep: int = 3,
    now: datetime | None = None,
) -> HeldUpload:
    """Hold an uploaded file for `owner` (None: a file the portal picked up itself) until it
    is confirmed or `lifetime` has passed. The flow has read and checked the file already.
    A person holds at most `keep` files of one purpose: holding one more lets go of their
    oldest, so files checked and never confirmed cannot pile up."""
    if len(content) > min(max_bytes, MAX_BYTES):
        raise DomainError(
            _("The file is larger than %(size)d MB. Split it into smaller files.")
            % {"size": max(min(max_bytes, MAX_BYTES) // MB, 1)}
        )
    record_type, record_id = _record_key(record)
    now = now or timezone.now()
    owner = owner if owner is not None and owner.is_authenticated else None
    held = HeldUpload.objects.create(
        owner=owner,
        purpose=purpose,
        filename=filename[:255],
        content=zlib.compress(content, 6),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        record_type=record_type,
        record_id=record_id,
        expires_at=now + lifetime,
    )
    if owner is not None:
        mine = HeldUpload.objects.filter(owner=owner, purpose=purpose).order_by("-created_at", "-pk")
        older = list(mine.values_list("pk", flat=True)[keep:])
        if older:
            HeldUpload.objects.filter(pk__in=older).delete()
    return held


def held_for(*, owner, purpose: str, pk, now: datetime | None = None) -> HeldUpload:
    """The person's own file held for `purpose`: a 404 for any other id (forged, someone
    else's, of another purpose, deleted), HeldUploadExpired for one past its time."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    held = HeldUpload.objects.filter(pk=pk, purpose=purpose, owner_id=owner.pk).first()
    if held is None:
        raise Http404
    if held.expires_at <= (now or timezone.now()):
        raise HeldUploadExpired
    return held


def held_of(record, *, purpose: str) -> HeldUpload | None:
    """The file held for a record (a sync run, an import of key figures), if it still is."""
    record_type, record_id = _record_key(record)
    return HeldUpload.objects.filter(record_type=record_type, record_id=record_id, purpose=purpose).first()


def content_of(held: HeldUpload) -> bytes:
    """The held file's bytes, unpacked to no more than its recorded size."""
    try:
        content = zlib.decompressobj().decompress(bytes(held.content), held.size + 1)
    except zlib.error:
        content = None
    if content is None or len(content) != held.size or hashlib.sha256(content).hexdigest() != held.sha256:
        raise HeldUploadExpired(_("The file could not be read again. Upload it again."))
    return content


def release(*, held: HeldUpload | None) -> None:
    """The file was confirmed (or replaced): it is held no longer."""
    if held is not None and held.pk is not None:
        HeldUpload.objects.filter(pk=held.pk).delete()


def release_of(records, *, purpose: str) -> int:
    """Let go of the files held for these records (of one model); returns how many."""
    records = list(records)
    if not records:
        return 0
    record_type = ContentType.objects.get_for_model(records[0])
    deleted, _by_model = HeldUpload.objects.filter(
        record_type=record_type, record_id__in=[r.pk for r in records], purpose=purpose
    ).delete()
    return deleted


def expired_delete(*, now: datetime) -> int:
    """Delete every held file past its time (the periodic job); returns how many."""
    deleted, _by_model = HeldUpload.objects.filter(expires_at__lte=now).delete()
    return deleted
