"""Issue #10: lockout by username + address with a slower username-only ceiling, admin unlock
and password reset, API tokens (revocation, expiry, last use, who may hold one), usernames
unique after normalisation and free of look-alikes, no-store caching, the absolute session
lifetime, and demo data in production."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qnwmh.access import services
from qnwmh.access.models import ApiToken
from qnwmh.accounts.models import LoginEvent, User
from qnwmh.audit.models import AuditEntry
from qnwmh.core.actor import Role
from qnwmh.core.errors import DomainError
from tests import factories as f
from tests.api.helpers import ApiClient, api_token

LOGIN = "/accounts/login/"


def post_login(client: Client, username: str, password: str, ip: str = "10.0.0.7") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# 7. Lockout ----------------------------------------------------------------------------


def test_failures_from_one_address_do_not_lock_the_user_out_from_another(world, settings):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        post_login(attacker, "city", "wrong-password-1", ip="203.0.113.9")
    assert post_login(attacker, "city", f.PASSWORD, ip="203.0.113.9").status_code == 429
    owner = Client()
    response = post_login(owner, "city", f.PASSWORD, ip="10.1.2.3")
    assert response.status_code == 302 and logged_in(owner)


def test_the_username_only_ceiling_locks_across_addresses(world, settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 8
    for i in range(8):
        post_login(Client(), "bodyadmin", "wrong-password-1", ip=f"198.51.100.{i + 1}")
    client = Client()
    locked = post_login(client, "bodyadmin", f.PASSWORD, ip="10.9.9.9")
    assert locked.status_code == 429 and not logged_in(client)
    assert LoginEvent.objects.filter(kind="lockout", username="bodyadmin").exists()
    # The API's password exchange obeys the same ceiling.
    api = ApiClient().post("/auth/token", {"username": "bodyadmin", "password": f.PASSWORD})
    assert api.status_code == 429


def test_the_username_ceiling_counts_only_its_window(world, settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 3
    for i in range(3):
        post_login(Client(), "bodyadmin", "wrong-password-1", ip=f"198.51.100.{i + 1}")
    LoginEvent.objects.filter(username="bodyadmin").update(
        at=timezone.now() - datetime.timedelta(hours=settings.LOGIN_USERNAME_WINDOW_HOURS + 1)
    )
    assert post_login(Client(), "bodyadmin", f.PASSWORD, ip="10.9.9.9").status_code == 302


def test_default_lockout_settings():
    from django.conf import settings

    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.LOGIN_USERNAME_FAILURE_LIMIT == 50
    assert settings.LOGIN_USERNAME_WINDOW_HOURS == 24


def _lock(username: str, settings: Any) -> None:
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 6
    for i in range(6):
        post_login(
            Client(), username, "wrong-password-1", ip="198.51.100.1" if i < 5 else "1.1.1.1"
        )


def test_city_admin_unlocks_an_account_and_it_is_audited(world, settings):
    _lock("bodyadmin", settings)
    assert post_login(Client(), "bodyadmin", f.PASSWORD, ip="198.51.100.1").status_code == 429
    admin = world.client("city_admin")
    detail = admin.get(reverse("accounts:user_detail", args=["bodyadmin"]))
    assert "已锁定" in detail.content.decode()
    response = admin.post(reverse("accounts:user_unlock", args=["bodyadmin"]))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(code="accounts.user.unlocked")
    assert entry.actor == world.users["city_admin"]
    client = Client()
    assert post_login(client, "bodyadmin", f.PASSWORD, ip="198.51.100.1").status_code == 302
    assert logged_in(client)


def test_body_admin_unlocks_its_own_users_but_not_the_city_admin(world, settings):
    _lock("manager", settings)
    services.user_unlock(world.actor("body_admin"), user=world.users["manager"])
    assert post_login(Client(), "manager", f.PASSWORD, ip="198.51.100.1").status_code == 302
    # A city admin who also holds a role in the body stays out of the body admin's reach.
    city_admin = world.users["city_admin"]
    services.role_grant(
        world.actor("city_admin"), user=city_admin, role=Role.BODY_ADMIN, organisation=world.body
    )
    with pytest.raises(PermissionDenied):
        services.user_unlock(world.actor("body_admin"), user=city_admin)
    with pytest.raises(PermissionDenied):
        services.password_reset(world.actor("body_admin"), user=city_admin)


def test_password_reset_sets_a_temporary_password_that_must_be_changed(world, settings):
    manager = world.users["manager"]
    token, secret = api_token(manager)
    admin = world.client("body_admin")
    page = admin.post(reverse("accounts:user_password_reset", args=["manager"]))
    assert page.status_code == 200
    temporary = page.context["temporary_password"]
    assert temporary and temporary in page.content.decode()
    assert AuditEntry.objects.filter(code="accounts.user.password_reset").count() == 1
    # The reset revokes the user's API tokens.
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(secret).get(f"/collectives/{world.collective.code}").status_code == 401
    # The old password no longer works; the temporary one leads straight to the change page.
    assert post_login(Client(), "manager", f.PASSWORD).status_code == 200
    client = Client()
    assert post_login(client, "manager", temporary).status_code == 302
    home = client.get(reverse("core:home"))
    assert home.status_code == 302 and home["Location"] == reverse("accounts:password_change")
    assert "临时密码" in client.get(home["Location"]).content.decode()
    done = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": temporary,
            "new_password1": "Moon-Cake-Harbour-7",
            "new_password2": "Moon-Cake-Harbour-7",
        },
    )
    assert done.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    manager.refresh_from_db()
    assert not manager.must_change_password


def test_a_temporary_password_cannot_buy_an_api_token(world):
    _user, temporary = services.password_reset(
        world.actor("city_admin"), user=world.users["manager"]
    )
    response = ApiClient().post("/auth/token", {"username": "manager", "password": temporary})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


# 8. API tokens ---------------------------------------------------------------------------


def test_a_password_change_revokes_every_token_of_the_user(world):
    token, secret = api_token(world.users["body_admin"])
    other, other_secret = api_token(world.users["manager"])
    client = world.client("body_admin")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": f.PASSWORD,
            "new_password1": "Moon-Cake-Harbour-7",
            "new_password2": "Moon-Cake-Harbour-7",
        },
    )
    assert response.status_code == 302
    token.refresh_from_db()
    other.refresh_from_db()
    assert token.revoked_at is not None and other.revoked_at is None
    assert ApiClient(secret).get(f"/collectives/{world.collective.code}").status_code == 401
    assert ApiClient(other_secret).get(f"/collectives/{world.collective.code}").status_code == 200
    assert AuditEntry.objects.filter(code="api.token.revoked").count() == 1


def test_tokens_expire_after_the_configured_days(world, settings):
    from django.conf import settings as live

    assert live.API_TOKEN_DAYS == 90
    settings.API_TOKEN_DAYS = 30
    token, secret = api_token(world.users["manager"])
    url = f"/collectives/{world.collective.code}"
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=29)
    )
    assert ApiClient(secret).get(url).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert ApiClient(secret).get(url).status_code == 401
    page = world.client("manager").get(reverse("api:tokens")).content.decode()
    assert "已过期" in page


def test_the_token_page_shows_last_use_and_expiry(world):
    token, secret = api_token(world.users["manager"])
    ApiClient(secret).get(f"/collectives/{world.collective.code}")
    token.refresh_from_db()
    assert token.last_used_at is not None
    page = world.client("manager").get(reverse("api:tokens")).content.decode()
    local = timezone.localtime(token.last_used_at)
    assert local.strftime("%Y-%m-%d %H:%M") in page
    assert timezone.localtime(token.expires_at).strftime("%Y-%m-%d") in page


# 27. Who may hold a token -------------------------------------------------------------


def test_only_a_role_that_uses_the_api_may_hold_tokens(world):
    nobody = f.user("norole")  # an account whose grants were all revoked
    client = world.client("reviewer")
    client.force_login(nobody)
    assert client.get(reverse("api:tokens")).status_code == 403
    assert client.post(reverse("api:tokens"), {"name": "x"}).status_code == 403
    response = ApiClient().post("/auth/token", {"username": "norole", "password": f.PASSWORD})
    assert response.status_code == 400
    with pytest.raises(CommandError):
        call_command("api_token", "issue", "norole", stdout=StringIO())
    assert not ApiToken.objects.filter(user=nobody).exists()
    # Reviewers score through the API too.
    call_command("api_token", "issue", "reviewer", stdout=StringIO())
    assert ApiToken.objects.filter(user=world.users["reviewer"]).count() == 1


# 9. Usernames ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username",
    [
        "ｃｉｔｙ",  # full width: NFKC gives "city"
        "CITY",
        "Ｃｉｔｙ",
        "cіty",  # Cyrillic і
        "сity",  # Cyrillic с
        "bodyadm1n",  # digit one for i
        "b0dyadmin",  # zero for o
        "bοdyadmin",  # Greek omicron
        "BODYADMlN",  # l for I
    ],
)
def test_usernames_that_normalise_or_look_like_an_existing_one_are_refused(world, username):
    with pytest.raises(DomainError) as exc:
        services.user_create(
            world.actor("city_admin"),
            username=username,
            password="Lantern-Festival-88",
            role=Role.REVIEWER,
        )
    assert "用户名" in str(exc.value)
    assert User.objects.count() == 5


def test_a_full_width_username_on_the_form_is_an_error_not_a_crash(world):
    client = world.client("city_admin")
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "ｃｉｔｙ",
            "password": "Lantern-Festival-88",
            "role": Role.REVIEWER,
        },
    )
    assert response.status_code == 200
    assert "已被使用" in response.content.decode()


def test_a_distinct_username_is_stored_in_its_normal_form(world):
    user = services.user_create(
        world.actor("city_admin"),
        username="ｚｈａｎｇｓａｎ",
        password="Lantern-Festival-88",
        role=Role.REVIEWER,
    )
    assert user.username == "zhangsan"


# 11. Caching and session lifetime ----------------------------------------------------


def test_signed_in_pages_are_not_stored(world):
    response = world.client("city_admin").get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    export = world.client("city_admin").get(reverse("accounts:user_list"), {"format": "xlsx"})
    assert "no-store" in export["Cache-Control"]


def test_public_tracking_pages_are_not_stored_but_the_directory_may_be(world):
    track = Client().get("/track/")
    assert "no-store" in track["Cache-Control"]
    directory = Client().get("/")
    assert "no-store" not in directory.get("Cache-Control", "")


def test_sessions_end_after_the_absolute_lifetime(world, settings):
    from django.conf import settings as live

    assert live.SESSION_ABSOLUTE_HOURS == 12
    client = Client()
    assert post_login(client, "bodyadmin", f.PASSWORD).status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    started = session["auth_started"]
    session["auth_started"] = started - 12 * 3600 - 60
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not logged_in(client)


# 12. Demo data in production ---------------------------------------------------------


def test_load_demo_refuses_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_a_system_check_fails_while_demo_accounts_work_in_production(db, settings):
    from django.core import checks

    from qnwmh.core.demo_context import DEMO_PASSWORD
    from qnwmh.demo.checks import demo_accounts_in_production

    assert demo_accounts_in_production in checks.registry.registry.get_checks(
        include_deployment_checks=True
    )
    user = User.objects.create(username="city_admin")
    user.set_password(DEMO_PASSWORD)
    user.save()
    settings.PRODUCTION = False
    assert demo_accounts_in_production(None) == []
    settings.PRODUCTION = True
    errors = demo_accounts_in_production(None)
    assert [e.id for e in errors] == ["qnwmh.E010"]
    user.set_password("Another-Real-Password-9")
    user.save()
    assert demo_accounts_in_production(None) == []
