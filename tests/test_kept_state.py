"""What a signed-in session keeps between requests (``accounts.kept``: the actor's grants and
the bell's unread count) is never read from the database twice while unchanged, and every
change to it shows on the very next request."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qnwmh.access.models import RoleAssignment
from qnwmh.access.services import role_grant, role_revoke
from qnwmh.accounts import kept
from qnwmh.accounts.models import User
from qnwmh.core.actor import Role
from qnwmh.notices.models import Notice
from qnwmh.notices.services import notify
from qnwmh.orgs.models import Organisation
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGE = "accounts:password_change"
CITY_PAGE = "orgs:create"


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _tables_read(client: Client, url: str) -> str:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return " ".join(q["sql"] for q in ctx.captured_queries)


def test_an_unchanged_session_reads_neither_grants_nor_notices_again(world: Any) -> None:
    client = world.client("body_admin")
    url = reverse(PAGE)
    first = _tables_read(client, url)  # signing in read them
    assert "accounts_roleassignment" not in first and "notices_notice" not in first
    kept.changed([world.users["body_admin"].pk])
    stale = _tables_read(client, url)
    assert "accounts_roleassignment" in stale and "notices_notice" in stale
    again = _tables_read(client, url)
    assert "accounts_roleassignment" not in again and "notices_notice" not in again


def test_a_revoked_grant_is_refused_on_the_next_request(world: Any) -> None:
    user = f.user("temporary_city", Role.CITY_ADMIN, organisation=world.city)
    client = _signed_in(user)
    url = reverse(CITY_PAGE)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # the kept grants
    grant = RoleAssignment.objects.get(user=user)
    role_revoke(world.actor("city_admin"), assignment=grant)
    assert client.get(url).status_code == 403


def test_a_granted_role_takes_effect_on_the_next_request(world: Any) -> None:
    user = f.user("promoted", Role.REVIEWER)
    client = _signed_in(user)
    url = reverse(CITY_PAGE)
    assert client.get(url).status_code == 403
    assert client.get(url).status_code == 403
    role_grant(world.actor("city_admin"), user=user, role=Role.CITY_ADMIN, organisation=world.city)
    assert client.get(url).status_code == 200


def test_a_grant_removed_without_the_service_is_seen_too(world: Any) -> None:
    """The models' own signals, not only the services, say the kept grants are stale."""
    user = f.user("removed", Role.CITY_ADMIN, organisation=world.city)
    client = _signed_in(user)
    url = reverse(CITY_PAGE)
    assert client.get(url).status_code == 200
    RoleAssignment.objects.get(user=user).delete()
    assert client.get(url).status_code == 403


def _body_ids(client: Client) -> frozenset[int]:
    response = client.get(reverse(PAGE))
    return frozenset(response.wsgi_request.actor.body_ids)  # type: ignore[attr-defined]


def test_a_body_added_under_a_body_admin_s_body_is_in_scope_on_the_next_request(
    world: Any,
) -> None:
    client = world.client("body_admin")
    before = _body_ids(client)
    assert world.body.pk in before and _body_ids(client) == before
    child = Organisation(
        name="共青团某某支部",
        kind=Organisation.Kind.BODY,
        body_kind=Organisation.BodyKind.TERRITORIAL,
        parent=world.body,
        town=f.town(),
    )
    child.path = "-"
    child.save()
    child.path = f"{world.body.path}{child.pk:06d}/"
    child.save(update_fields=["path"])
    assert _body_ids(client) == before | {child.pk}


def _bell(client: Client) -> str:
    html = client.get(reverse(PAGE)).content.decode()
    start = html.find('data-testid="bell-count">')
    return "" if start < 0 else html[start:].split(">", 1)[1].split("<", 1)[0]


def test_the_bell_counts_what_came_and_what_was_read_on_the_next_request(world: Any) -> None:
    user = world.users["body_admin"]
    client = world.client("body_admin")
    assert _bell(client) == ""
    notify([user], "请处理")
    assert _bell(client) == "1"
    assert _bell(client) == "1"
    Notice.objects.create(recipient=user, text="直接写入的通知")
    assert _bell(client) == "2"
    notice = Notice.objects.filter(recipient=user).order_by("id").first()
    assert notice is not None
    client.post(reverse("notices:read", kwargs={"notice_id": notice.pk}))
    assert _bell(client) == "1"
    client.post(reverse("notices:read_all"))
    assert _bell(client) == ""
    notify([world.users["outsider"]], "别人的")
    assert _bell(client) == ""


def test_saving_a_loaded_user_never_puts_an_older_version_back(world: Any) -> None:
    user = User.objects.get(pk=world.users["manager"].pk)
    read_at = user.state_version
    kept.changed([user.pk])
    user.display_name = "新名字"
    user.save()
    user.refresh_from_db()
    assert user.display_name == "新名字"
    assert user.state_version == read_at + 1


def test_a_change_made_in_the_request_is_counted_again_in_it(world: Any, rf: Any) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    from qnwmh.notices.selectors import unread_count
    from qnwmh.notices.services import mark_read

    user = User.objects.get(pk=world.users["body_admin"].pk)
    notify([user], "请处理")
    user.refresh_from_db()
    session = SessionStore()

    def request() -> Any:
        r = rf.get("/")
        r.user, r.session = user, session
        return r

    assert unread_count(request()) == 1
    assert unread_count(request()) == 1  # kept
    mark_read(f.actor(user))
    assert unread_count(request()) == 0


def test_a_change_written_around_the_services_is_seen_within_a_minute(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = f.user("raw_sql", Role.CITY_ADMIN, organisation=world.city)
    client = _signed_in(user)
    url = reverse(CITY_PAGE)
    assert client.get(url).status_code == 200
    with connection.cursor() as cursor:  # no signal, no version moved on
        cursor.execute(
            "UPDATE accounts_roleassignment SET revoked_at = CURRENT_TIMESTAMP WHERE user_id = %s",
            [user.pk],
        )
    assert client.get(url).status_code == 200  # still kept
    later = kept._now() + settings.SESSION_RENEW_SECONDS
    monkeypatch.setattr(kept, "_now", lambda: later)
    assert client.get(url).status_code == 403
