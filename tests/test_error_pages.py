"""Error pages: in the site's layout and the reader's language, with a way back; never
Django's technical 404 (which lists every URL pattern) nor its bare English pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from qnwmh.core.error_views import server_error


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("debug", [True, False])
def test_unknown_public_url_answers_our_404(world: Any, debug: bool) -> None:
    with override_settings(DEBUG=debug):
        response = world.client("anonymous").get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "URLconf" not in body and "DEBUG" not in body
    assert "没有找到" in body and 'href="/"' in body
    assert "中山市青年文明号" in body  # the public layout


@pytest.mark.parametrize("debug", [True, False])
def test_a_mistyped_tracking_code_says_no_complaint_has_it(world: Any, debug: bool) -> None:
    with override_settings(DEBUG=debug):
        response = world.client("anonymous").get(
            reverse("supervision_public:track", args=["ZZZZZZZZZZ"])
        )
    body = response.content.decode()
    assert response.status_code == 404
    assert "没有找到这个查询码的投诉" in body
    assert "supervision_public" not in body  # no URL pattern listing


def test_an_unknown_collective_code_says_so(world: Any) -> None:
    response = world.client("anonymous").get(reverse("public:collective", args=["ZZZZZZZZ"]))
    assert response.status_code == 404
    assert "没有找到这个编号的集体" in response.content.decode()


def test_back_office_404_keeps_the_back_office_layout(world: Any) -> None:
    response = world.client("body_admin").get("/office/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "青年文明号创建管理平台" in body and 'href="/office/"' in body


def test_404_in_english(world: Any) -> None:
    response = english(world.client("anonymous")).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Not found" in body and "没有找到" not in body


def test_403_is_a_page_in_chinese(world: Any) -> None:
    response = world.client("body_admin").get(reverse("audit:log"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "没有权限" in body and "403" in body


def test_csrf_failure_explains_what_to_do(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_500_page_needs_no_context_and_speaks_the_language() -> None:
    request = RequestFactory().get("/")
    zh = server_error(request).content.decode()
    with translation.override("en"):
        en = server_error(request).content.decode()
    assert "服务暂时出错" in zh and 'href="/"' in zh
    assert "Something went wrong" in en
