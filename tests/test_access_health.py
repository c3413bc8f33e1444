"""The health check and the liveness answer: open to everyone, the same for every role."""

import pytest
from django.test import Client
from django.urls import reverse

COVERED_URLS = {"core:health", "core:ping"}


@pytest.mark.parametrize("role", [None, "member", "adviser", "admin"])
def test_everyone_gets_the_health_answers(client, cast, role, django_assert_num_queries):
    if role:
        client.force_login(cast[role])
    assert client.get(reverse("core:health")).json() == {"status": "ok"}
    fresh = Client()  # no session to read: the liveness answer touches no database at all
    with django_assert_num_queries(0):
        response = fresh.get(reverse("core:ping"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    # Through the same middleware as every page: the security headers are there.
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response
