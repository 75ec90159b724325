"""The rules reference page (创建规则) reads wholly in Chinese in Chinese mode: no English
fragments from field labels, help texts, choices or widgets."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[A-Za-z]{2,}")
# Latin text that belongs in Chinese pages: the site's English switch and its language name.
ALLOWED = {"English"}


def _main(body: str) -> str:
    return body.split("<main", 1)[-1].split(">", 1)[-1].split("</main>", 1)[0]


def _text(body: str) -> str:
    return html.unescape(TAG.sub(" ", SCRIPT.sub(" ", _main(body))))


@pytest.mark.parametrize("name", ["programme:rules", "orgs:reference"])
def test_reference_pages_have_no_english_fragments_in_chinese(world, name):
    page = world.client("city_admin").get(reverse(name)).content.decode()
    words = set(WORD.findall(_text(page))) - ALLOWED
    assert not words, sorted(words)


def test_rules_page_option_and_title_attributes_are_chinese(world):
    page = world.client("city_admin").get(reverse("programme:rules")).content.decode()
    for attr in re.findall(r'(?:title|placeholder|aria-label)="([^"]*)"', _main(page)):
        assert not WORD.search(attr), attr
