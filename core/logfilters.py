"""Filters for the portal's log."""

import logging


class OneLineRefusals(logging.Filter):
    """A refusal (403: someone may see a page but not act on it) is an everyday event,
    not an error: one line in the log, without the traceback Django attaches."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
