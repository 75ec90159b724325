"""An unchanged session is written again only once it has aged (SESSION_RENEW_SECONDS), so a
page costs no session write; the idle timeout still holds to within that step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qnwmh.core.middleware import SESSION_RENEWED_KEY, RenewingSessionMiddleware

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PAGE = "/accounts/password/"  # a signed-in page; signed out it sends to the login page


def _expiry(client: Client) -> datetime:
    return Session.objects.get(
        session_key=client.cookies[settings.SESSION_COOKIE_NAME].value
    ).expire_date


def _session_writes(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(PAGE).status_code == 200
    return sum(
        1 for q in ctx.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    )


def test_the_step_is_well_under_the_idle_timeout():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert 0 < settings.SESSION_RENEW_SECONDS * 2 <= settings.SESSION_COOKIE_AGE


def test_a_session_is_written_only_once_it_has_aged(world):
    step, age = settings.SESSION_RENEW_SECONDS, settings.SESSION_COOKIE_AGE
    with time_machine.travel(START, tick=False) as clock:
        client = world.client("body_admin")
        assert _session_writes(client) == 0  # signing in wrote it and set the stamp
        assert _expiry(client) == START + timedelta(seconds=age)
        clock.shift(step - 1)
        assert _session_writes(client) == 0
        assert _expiry(client) == START + timedelta(seconds=age)
        clock.shift(1)
        assert _session_writes(client) == 1
        assert _expiry(client) == START + timedelta(seconds=step + age)
        assert client.session[SESSION_RENEWED_KEY] == (START + timedelta(seconds=step)).timestamp()


def test_a_sign_in_ends_within_one_step_before_the_idle_timeout(world):
    step, age = settings.SESSION_RENEW_SECONDS, settings.SESSION_COOKIE_AGE
    with time_machine.travel(START, tick=False) as clock:
        client = world.client("body_admin")
        client.get(PAGE)  # signed in (and written) at START
        clock.shift(step - 1)
        client.get(PAGE)  # the last request, not written: the stored expiry is START + age
        last = START + timedelta(seconds=step - 1)
        clock.move_to(last + timedelta(seconds=age - step))
        assert client.get(PAGE).status_code == 200  # idle for (timeout - step): still in
    with time_machine.travel(START, tick=False) as clock:
        client = world.client("body_admin")
        client.get(PAGE)
        clock.shift(step - 1)
        client.get(PAGE)
        clock.move_to(last + timedelta(seconds=age - step + 1))
        response = client.get(PAGE)  # idle for less than the timeout, but over (timeout - step)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_changed_session_is_written_at_once(db):
    with time_machine.travel(START, tick=False) as clock:
        store = SessionStore()
        store[SESSION_RENEWED_KEY] = START.timestamp()
        store.save()
        clock.shift(1)  # well within the step
        request = RequestFactory().get("/")
        request.session = SessionStore(store.session_key)
        request.session["note"] = "kept"
        middleware = RenewingSessionMiddleware(lambda r: HttpResponse())
        middleware.process_response(request, HttpResponse())
        saved = SessionStore(store.session_key)
        assert saved["note"] == "kept"
        assert saved[SESSION_RENEWED_KEY] == START.timestamp() + 1
        row = Session.objects.get(session_key=store.session_key)
        assert row.expire_date == START + timedelta(seconds=1 + settings.SESSION_COOKIE_AGE)


def test_an_anonymous_visit_makes_no_session(world):
    client = Client()
    client.get("/")
    assert not Session.objects.exists()
