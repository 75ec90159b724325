"""Builders and a client for API tests: a Bearer token per role."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from qnwmh.access.actor import actor_for
from qnwmh.access.models import ApiToken
from qnwmh.access.tokens import token_issue
from qnwmh.accounts.models import User

BASE = "/api/v1"


def api_token(user: User, name: str = "test") -> tuple[ApiToken, str]:
    return token_issue(actor_for(user, "127.0.0.1"), user=user, name=name)


class Multipart(dict):  # type: ignore[type-arg]
    """A request body sent as multipart/form-data (forms with file uploads)."""


class ApiClient:
    """Django's test client sending JSON with ``Authorization: Bearer``; ``secret=None`` is
    an anonymous caller."""

    def __init__(self, secret: str | None = None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def request(self, method: str, path: str, payload: Any = None, /, **params: Any) -> Any:
        url = path if path.startswith("/") and path.startswith(BASE) else BASE + path
        call = getattr(self.client, method.lower())
        if method.lower() == "get":
            return call(url, params, headers=self.headers)
        if isinstance(payload, Multipart):
            return call(url, dict(payload), headers=self.headers)  # multipart/form-data
        data = json.dumps(payload if payload is not None else {})
        return call(url, data, content_type="application/json", headers=self.headers)

    def get(self, path: str, **params: Any) -> Any:
        return self.request("get", path, None, **params)

    def post(self, path: str, payload: Any = None) -> Any:
        return self.request("post", path, payload)

    def patch(self, path: str, payload: Any = None) -> Any:
        return self.request("patch", path, payload)

    def delete(self, path: str) -> Any:
        return self.request("delete", path)


def client_for(world: Any, role: str) -> ApiClient:
    if role == "anonymous":
        return ApiClient(None)
    return ApiClient(api_token(world.users[role])[1])
