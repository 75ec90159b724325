"""Validation details of the API speak the request's language and name the field by its
label: Chinese by default, English with the language switch."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

from qnwmh.api.validation import MESSAGES

ENGLISH_PYDANTIC = re.compile(r"Field required|Input should|String should|at least|at most")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _bad_collective(world: Any, api: Any, language: str | None = None) -> dict[str, Any]:
    client = api("city_admin")
    if language:
        client.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    payload = {
        "name": "",
        "body": world.body.code,
        "town": "abc",
        "ownership": "martian",
    }
    response = client.post("/collectives", payload)
    assert response.status_code == 422, response.content
    return response.json()


def test_validation_details_are_chinese_by_default(world, api):
    body = _bad_collective(world, api)
    messages = {tuple(e["loc"])[-1]: e["msg"] for e in body["errors"]}
    assert messages["name"] == "集体名称至少 1 个字符。"
    assert messages["work_unit"] == "请填写所在单位。"
    assert messages["town"].endswith("应为整数。")
    assert "不是可选的值" in messages["ownership"]
    for e in body["errors"]:
        assert not ENGLISH_PYDANTIC.search(e["msg"]), e
        assert e["type"]  # the machine-readable type stays


def test_validation_details_follow_the_english_switch(world, api):
    body = _bad_collective(world, api, "en")
    for e in body["errors"]:
        assert not CJK.search(e["msg"]), e
    messages = {tuple(e["loc"])[-1]: e["msg"] for e in body["errors"]}
    assert "Collective name" in messages["name"] or "name" in messages["name"].lower()


def test_control_characters_are_refused_in_the_readers_language(world, api):
    client = api("city_admin")
    payload = {
        "name": "新集体\x07",
        "work_unit": "单位",
        "body": world.body.code,
        "town": world.town.pk,
        "ownership": "other",
    }
    (error,) = client.post("/collectives", payload).json()["errors"]
    assert error["msg"] == "集体名称：不能包含控制字符。"


def test_every_pydantic_type_we_name_has_a_template():
    assert {"missing", "string_too_long", "int_parsing", "literal_error"} <= set(MESSAGES)
