"""The log: a refusal is one line, not a traceback."""

import logging

from django.urls import reverse


def test_a_refusal_is_one_line_in_the_log(client, cast, make_plan, caplog):
    plan = make_plan("submitted")
    client.force_login(cast["member"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        for _ in range(3):
            assert client.get(reverse("plans:review", args=[plan.pk])).status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request" and getattr(r, "status_code", None) == 403]
    assert len(refusals) == 3
    handler = logging.StreamHandler()
    for record in refusals:
        assert record.exc_info is None
        line = handler.format(record)
        assert "\n" not in line and "Traceback" not in line
        assert line.startswith("Forbidden") and reverse("plans:review", args=[plan.pk]) in line


def test_a_server_error_keeps_its_traceback():
    import sys

    from core.logfilters import OneLineRefusals

    try:
        raise RuntimeError("the disk is full")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), exc_info)
    record.status_code = 500
    assert OneLineRefusals().filter(record) and record.exc_info is exc_info
