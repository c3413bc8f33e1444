"""Refuse a file over the size limit before it is read whole.

A request that says it is larger than the limit is answered without reading its body at
all; a request that says less but carries more (or a file part larger than the limit) is
cut off by `LimitedUploadHandler` as soon as the limit is passed, before Django's own
handlers have kept it in memory or on disk."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from . import importing

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


def declared_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > importing.max_bytes() + FORM_OVERHEAD


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > importing.max_bytes():
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_uploads(request) -> None:
    """Put the limiting handler first; call before anything reads request.POST or FILES."""
    request.upload_too_large = False
    request.upload_handlers.insert(0, LimitedUploadHandler(request))
