"""Tokens: issued for a password through django-axes, stored hashed, revocable, never deleted."""

from __future__ import annotations

import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qnwmh.access.models import ApiToken
from qnwmh.access.tokens import token_revoke
from qnwmh.accounts.models import LoginEvent
from qnwmh.audit.models import AuditEntry
from qnwmh.core.errors import DomainError
from tests.api.helpers import ApiClient, api_token
from tests.factories import PASSWORD


def test_password_gives_a_working_token_stored_only_as_its_hash(world: Any) -> None:
    response = ApiClient().post(
        "/auth/token", {"username": "manager", "password": PASSWORD, "name": "智慧团建同步"}
    )
    assert response.status_code == 200
    secret = response.json()["token"]
    token = ApiToken.objects.get(code=response.json()["code"])
    assert token.user == world.users["manager"]
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.name == "智慧团建同步"
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False)[0]]
    assert secret not in stored
    assert AuditEntry.objects.filter(code="api.token.issued").count() == 1

    me = ApiClient(secret).get(f"/collectives/{world.collective.code}")
    assert me.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_wrong_password_is_401_and_recorded(world: Any) -> None:
    response = ApiClient().post("/auth/token", {"username": "manager", "password": "wrong-one"})
    assert response.status_code == 401
    assert response.json()["detail"] == "用户名或密码不正确。"
    assert LoginEvent.objects.filter(kind="failure", username="manager").count() == 1
    assert not ApiToken.objects.exists()


def test_lockout_applies_to_the_api_as_to_the_login_page(world: Any, settings: Any) -> None:
    client = ApiClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/auth/token", {"username": "manager", "password": "wrong-one"})
    # Even the right password is refused now, in JSON.
    response = client.post("/auth/token", {"username": "manager", "password": PASSWORD})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "锁定" in response.json()["detail"]
    assert not ApiToken.objects.exists()
    assert LoginEvent.objects.filter(kind="lockout", username="manager").exists()


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer not-a-token", "Token abc", "Basic eDp5"]
)
def test_missing_or_bad_token_is_401(world: Any, header: str | None) -> None:
    client = ApiClient()
    if header:
        client.headers = {"Authorization": header}
    response = client.get("/collectives")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"] == "请提供有效的接口令牌。"


def test_a_session_cookie_is_not_an_api_credential(world: Any) -> None:
    client = world.client("city_admin")
    assert client.get("/api/v1/collectives").status_code == 401


def test_revoked_token_stops_working_and_is_kept(world: Any) -> None:
    token, secret = api_token(world.users["body_admin"])
    client = ApiClient(secret)
    assert client.get("/towns").status_code == 200
    response = client.post(f"/auth/tokens/{token.code}/revoke")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert client.get("/towns").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == world.users["body_admin"]
    assert AuditEntry.objects.filter(code="api.token.revoked").count() == 1
    with pytest.raises(DomainError):
        token_revoke(world.actor("city_admin"), token=token)


def test_token_of_a_deactivated_user_stops_working(world: Any) -> None:
    _token, secret = api_token(world.users["manager"])
    user = world.users["manager"]
    user.is_active = False
    user.save()
    assert ApiClient(secret).get("/towns").status_code == 401


def test_token_list_is_own_tokens_except_for_city_admins(world: Any) -> None:
    own, secret = api_token(world.users["manager"])
    other, _ = api_token(world.users["body_admin"])
    codes = {t["code"] for t in ApiClient(secret).get("/auth/tokens").json()}
    assert own.code in codes and other.code not in codes
    _c, city_secret = api_token(world.users["city_admin"])
    codes = {t["code"] for t in ApiClient(city_secret).get("/auth/tokens").json()}
    assert {own.code, other.code} <= codes
    # And the manager cannot revoke another's token: it is not even there.
    assert ApiClient(secret).post(f"/auth/tokens/{other.code}/revoke").status_code == 404


def test_management_command_issues_lists_and_revokes(world: Any) -> None:
    out = StringIO()
    call_command("api_token", "issue", "manager", "--name", "脚本", stdout=out)
    code, secret = out.getvalue().split()
    assert ApiClient(secret).get("/towns").status_code == 200
    out = StringIO()
    call_command("api_token", "list", "manager", stdout=out)
    assert code in out.getvalue() and "active" in out.getvalue()
    call_command("api_token", "revoke", code, stdout=StringIO())
    assert ApiClient(secret).get("/towns").status_code == 401
    assert ApiToken.objects.filter(code=code).exists()  # kept as history
    with pytest.raises(CommandError):
        call_command("api_token", "revoke", code, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("api_token", "issue", "no-such-user", stdout=StringIO())


def test_back_office_page_issues_shows_secret_once_and_revokes(world: Any) -> None:
    client = world.client("body_admin")
    response = client.post("/api/tokens/", {"name": "报表系统"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.users["body_admin"])
    secret = response.context["secret"]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.key_hash
    assert secret not in client.get("/api/tokens/").content.decode()
    asked = client.post(f"/api/tokens/{token.code}/revoke/")  # revoking asks first
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(f"/api/tokens/{token.code}/revoke/", {"confirmed": "1"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_docs_are_for_staff_and_served_without_a_cdn(world: Any) -> None:
    page = world.client("body_admin").get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert world.client("manager").get("/api/v1/docs").status_code == 403
    assert world.client("anonymous").get("/api/v1/docs").status_code == 302


def test_schema_is_public_and_documents_bearer_and_errors(world: Any) -> None:
    schema = ApiClient().get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    op = schema["paths"]["/api/v1/collectives/{code}"]["patch"]
    assert {"200", "400", "401", "403", "404", "422"} <= set(op["responses"])
    public = schema["paths"]["/api/v1/public/collectives"]["get"]
    assert "security" not in public or public["security"] == [] or public["security"] == [{}]


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "application/x-www-form-urlencoded", "text/plain"]
)
def test_token_request_with_a_misleading_content_type_is_not_a_500(
    world: Any, content_type: str
) -> None:
    client = ApiClient().client
    body = '{"username": "manager", "password": "wrong-one"}'
    response = client.post("/api/v1/auth/token", body, content_type=content_type)
    assert response.status_code == 401


def test_token_services_guard_and_refuse(world: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from qnwmh.access.tokens import token_issue

    manager = world.users["manager"]
    # A body admin may not mint tokens for someone else; a city admin may.
    with pytest.raises(PermissionDenied):
        token_issue(world.actor("body_admin"), user=manager)
    token, _secret = token_issue(world.actor("city_admin"), user=manager, name="代发")
    assert token.created_by == world.users["city_admin"]
    # Nobody may revoke another's token except city admins.
    with pytest.raises(PermissionDenied):
        token_revoke(world.actor("body_admin"), token=token)
    with pytest.raises(PermissionDenied):
        token_issue(world.actor("anonymous"), user=manager)
    manager.is_active = False
    manager.save()
    with pytest.raises(DomainError):
        token_issue(world.actor("city_admin"), user=manager)
    assert ApiToken.objects.count() == 1
