"""The client address behind reverse proxies: what rate limits, login logs and audit entries see.

Behind a proxy every request arrives from the proxy's address; without PROXY_COUNT the whole
city would share one complaint quota. With it, only the proxies' own entries in
X-Forwarded-For are believed, so a client cannot forge its way past a limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from qnwmh.accounts.middleware import client_ip
from qnwmh.accounts.models import LoginEvent
from qnwmh.supervision import services
from qnwmh.supervision.models import Complaint

PROXY = "10.0.0.2"


def ip_of(forwarded: str | None, remote: str = PROXY) -> str | None:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, None, PROXY),
        (0, "203.0.113.9", PROXY),  # no proxy configured: the header is the client's own words
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the left entry was forged by the client
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.3", "203.0.113.9"),
        (2, "203.0.113.9", PROXY),  # fewer hops than configured: trust only the socket
        (1, "", PROXY),
        (1, None, PROXY),
        (1, "not-an-address", PROXY),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_ip_counts_proxies_from_the_right(settings, count, forwarded, expected):
    settings.PROXY_COUNT = count
    assert ip_of(forwarded) == expected


def _file(world: Any, forwarded: str) -> int:
    return (
        Client(REMOTE_ADDR=PROXY)
        .post(
            "/api/v1/supervision/requests",
            {
                "collective_code": world.collective.code,
                "service_code": "complaint.efficiency",
                "description": "排队太久。",
            },
            content_type="application/json",
            headers={"X-Forwarded-For": forwarded},
        )
        .status_code
    )


def test_complaint_limit_is_per_client_behind_a_proxy(world, settings):
    settings.PROXY_COUNT = 1
    limit = services.LIMITS["complaints_per_ip"][0]
    assert [_file(world, "203.0.113.9") for _ in range(limit + 1)] == [201] * limit + [429]
    # Another visitor behind the same proxy keeps their own quota ...
    assert _file(world, "203.0.113.10") == 201
    # ... and a forged left-hand entry does not buy the first one a fresh quota.
    assert _file(world, "198.51.100.1, 203.0.113.9") == 429
    assert Complaint.objects.count() == limit + 1


def test_without_proxies_a_forged_header_does_not_escape_the_limit(world, settings):
    settings.PROXY_COUNT = 0
    limit = services.LIMITS["complaints_per_ip"][0]
    codes = [_file(world, f"203.0.113.{i}") for i in range(limit + 1)]
    assert codes == [201] * limit + [429]


def test_login_log_records_the_client_behind_the_proxy(world, settings):
    settings.PROXY_COUNT = 1
    Client(REMOTE_ADDR=PROXY).post(
        "/accounts/login/",
        {"username": "nobody-here", "password": "wrong"},
        headers={"X-Forwarded-For": "203.0.113.77"},
    )
    assert LoginEvent.objects.get(username="nobody-here").ip == "203.0.113.77"
