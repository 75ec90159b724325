"""Login, lockout, login log, password rules, users and roles."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from qnwmh.access import services
from qnwmh.access.models import RoleAssignment
from qnwmh.accounts.models import LoginEvent, User
from qnwmh.audit.models import AuditEntry
from qnwmh.core.actor import Role
from qnwmh.core.errors import DomainError
from tests import factories as f

LOGIN = "/accounts/login/"


def post_login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_a_good_login_reaches_home_and_is_logged(world):
    client = Client()
    response = post_login(client, "bodyadmin", f.PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    event = LoginEvent.objects.get(kind="success")
    assert event.username == "bodyadmin" and event.ip == "10.0.0.7"


def test_unknown_user_and_wrong_password_get_the_same_answer(world):
    wrong = post_login(Client(), "bodyadmin", "not-the-password")
    unknown = post_login(Client(), "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    message = "用户名或密码不正确。"
    assert message in wrong.content.decode() and message in unknown.content.decode()
    assert LoginEvent.objects.filter(kind="failure").count() == 2


@pytest.mark.parametrize("username", ["bodyadmin", "no-such-user"])
def test_five_failures_lock_the_username_known_or_not(world, username):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, username, "wrong-password-1")
    locked = post_login(client, username, f.PASSWORD if username == "bodyadmin" else "x")
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()
    assert LoginEvent.objects.filter(kind="lockout", username=username).exists()
    # The right password does not get through while locked.
    assert "_auth_user_id" not in client.session


def test_logout_is_logged(world):
    client = world.client("body_admin")
    client.post(reverse("accounts:logout"))
    assert LoginEvent.objects.filter(kind="logout", username="bodyadmin").exists()


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # A request renews the idle window once the session's last write has aged (at most
    # SESSION_RENEW_SECONDS early): tests/test_session_renewal.py.
    assert settings.SESSION_RENEW_SECONDS * 2 <= settings.SESSION_COOKIE_AGE


@pytest.mark.once  # a Django start-up on the default settings, whatever the database
def test_passwords_are_hashed_with_argon2_outside_the_test_suite():
    from tests.test_settings import run_django

    code = (
        "from django.contrib.auth.hashers import make_password; "
        "print(make_password('Some-Long-Passphrase-1').split('$')[0])"
    )
    result = run_django(["shell", "-v", "0", "-c", code])
    assert result.stdout.strip() == "argon2", result.stderr


@pytest.mark.parametrize(
    "password, fragment",
    [
        ("short1A", "太短"),
        ("password123", "常见"),
        ("zhongshan-river-2026", "容易被猜到"),
        ("newperson2024x", "容易被猜到"),  # contains the username
    ],
)
def test_password_rules(world, password, fragment):
    with pytest.raises(DomainError) as exc:
        services.user_create(
            world.actor("city_admin"), username="newperson", password=password, role=Role.REVIEWER
        )
    assert not User.objects.filter(username="newperson").exists()
    assert fragment in str(exc.value)


def test_body_admin_may_create_managers_for_its_own_collectives_only(world):
    actor = world.actor("body_admin")
    user = services.user_create(
        actor,
        username="mgr2",
        password="Lantern-Festival-88",
        role=Role.COLLECTIVE_MANAGER,
        collective=world.collective,
    )
    assert RoleAssignment.objects.get(user=user).collective == world.collective
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor,
            username="mgr3",
            password="Lantern-Festival-88",
            role=Role.COLLECTIVE_MANAGER,
            collective=world.other_collective,
        )
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor,
            username="city2",
            password="Lantern-Festival-88",
            role=Role.CITY_ADMIN,
            organisation=world.city,
        )
    assert not User.objects.filter(username__in=["mgr3", "city2"]).exists()


def test_granting_and_revoking_roles_is_audited_and_kept(world):
    actor = world.actor("city_admin")
    reviewer = world.users["reviewer"]
    assignment = services.role_grant(
        actor, user=reviewer, role=Role.BODY_ADMIN, organisation=world.body
    )
    services.role_revoke(actor, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    assert list(
        AuditEntry.objects.filter(code__startswith="accounts.role.").values_list("code", flat=True)
    ) == ["accounts.role.revoked", "accounts.role.granted"]


def test_a_role_needs_the_right_target(world):
    with pytest.raises(DomainError):
        services.role_grant(
            world.actor("city_admin"),
            user=world.users["reviewer"],
            role=Role.COLLECTIVE_MANAGER,
            organisation=world.body,
        )


def test_roles_cover_the_subtree(world):
    from qnwmh.access.actor import actor_for

    child = f.body(f.town("子镇"))
    child.parent = world.body
    child.path = world.body.path + f"{child.pk:06d}/"
    child.save()
    actor = actor_for(world.users["body_admin"])
    assert {world.body.pk, child.pk} <= actor.body_ids
    assert world.other_body.pk not in actor.body_ids


def test_the_login_log_page_lists_events_for_city_admins(world):
    post_login(Client(), "someone", "bad")
    page = world.client("city_admin").get(reverse("accounts:login_log"), {"kind": "failure"})
    assert "someone" in page.content.decode()


def test_password_change_checks_the_old_password_and_the_rules(world):
    client = world.client("body_admin")
    url = reverse("accounts:password_change")
    bad = client.post(
        url,
        {
            "old_password": "wrong",
            "new_password1": "Moon-Cake-Harbour-7",
            "new_password2": "Moon-Cake-Harbour-7",
        },
    )
    assert "原密码不正确" in bad.content.decode()
    weak = client.post(
        url,
        {
            "old_password": f.PASSWORD,
            "new_password1": "bodyadmin99x",
            "new_password2": "bodyadmin99x",
        },
    )
    assert weak.status_code == 200
    ok = client.post(
        url,
        {
            "old_password": f.PASSWORD,
            "new_password1": "Moon-Cake-Harbour-7",
            "new_password2": "Moon-Cake-Harbour-7",
        },
    )
    assert ok.status_code == 302
    assert User.objects.get(username="bodyadmin").check_password("Moon-Cake-Harbour-7")
    assert AuditEntry.objects.filter(code="accounts.user.password_changed").count() == 1


def test_only_city_admins_deactivate_accounts_and_only_their_own_password_is_changed(world):
    from qnwmh.accounts import services as account_services

    manager = world.users["manager"]
    with pytest.raises(PermissionDenied):
        account_services.user_set_active(world.actor("body_admin"), user=manager, active=False)
    with pytest.raises(PermissionDenied):
        account_services.password_change(
            world.actor("body_admin"), user=manager, new_password="Moon-Cake-Harbour-7"
        )
    assert User.objects.get(pk=manager.pk).is_active


def test_the_person_page_offers_only_the_actions_the_admin_may_take(world):
    url = reverse("accounts:user_detail", args=[world.users["manager"].username])
    body_admin = world.client("body_admin").get(url).content.decode()
    city_admin = world.client("city_admin").get(url).content.decode()
    toggle = reverse("accounts:user_toggle_active", args=[world.users["manager"].username])
    unlock = reverse("accounts:user_unlock", args=[world.users["manager"].username])
    assert unlock in body_admin and toggle not in body_admin
    assert unlock in city_admin and toggle in city_admin
