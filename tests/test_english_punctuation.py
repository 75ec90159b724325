"""English pages carry no Chinese punctuation of our own: crawl the main pages of every role
in English and look for full-width colons, commas and full stops in the visible text (what
people typed, e.g. a complaint's text, is left as typed and taken out before looking)."""

from __future__ import annotations

import html
import re
from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from qnwmh.supervision.models import Status
from tests import factories_cycles as fc
from tests import supervision_builders as sb

LINK = re.compile(r'href="([^"#]+)"')
SKIP = ("/i18n/", "/static/", "/api/", "/media/", "tel:", "mailto:", "data:", "/accounts/logout")
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S)
TAG = re.compile(r"<[^>]+>")
FULL_WIDTH = re.compile("[：，。]")
# What people typed (the builders' sample texts): shown as typed in every language.
TYPED = [
    "窗口人员态度生硬。",
    "窗口人员态度不好。",
    "已核实。",
    "已整改。",
    "以岗位练兵和开放周为载体，提升窗口服务质量。",
    "热情服务，接受监督。",
]


def visible_text(body: str) -> str:
    text = html.unescape(TAG.sub(" ", SCRIPT.sub(" ", body)))
    for typed in TYPED:
        text = text.replace(typed, "")
    return text


def crawl(client: Any, start: list[str], limit: int = 120) -> dict[str, str]:
    """URL → the offending snippets, for every HTML page reached from ``start``."""
    found: dict[str, str] = {}
    seen: set[str] = set()
    queue = deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            continue
        body = response.content.decode()
        text = visible_text(body)
        hits = [text[max(0, m.start() - 25) : m.end() + 5] for m in FULL_WIDTH.finditer(text)]
        if hits:
            found[url] = " | ".join(" ".join(h.split()) for h in hits[:3])
        for link in LINK.findall(body):
            link = html.unescape(link)
            if link.startswith(SKIP) or urlsplit(link).netloc or "export" in link:
                continue
            queue.append(urljoin(url, link))
    return found


@pytest.fixture
def data(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 3)
    fc.registration(cycle, world.collective)
    sb.complaint(world.collective, text="窗口人员态度生硬。")
    sb.complaint(
        world.collective,
        status=Status.REPLIED,
        findings="已核实。",
        reply="已整改。",
        replied_at=timezone.now(),
    )


@pytest.mark.parametrize("role", ["city_admin", "body_admin", "manager", "anonymous"])
def test_english_pages_have_no_chinese_punctuation(world, data, role, settings):
    client = world.client(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    start = ["/", reverse("core:home") if role != "anonymous" else "/verify/"]
    start += [f"/c/{world.collective.code}/", f"/verify/{world.collective.code}/"]
    found = crawl(client, start)
    assert not found, "\n".join(f"{u}: {s}" for u, s in found.items())


def test_punctuation_tags_follow_the_language():
    from django.template import Context, Template
    from django.utils import translation

    t = Template("{% translate '佐证' %}{{ n|paren }}{% colon %}a{% list_sep %}b")
    with translation.override("en"):
        assert t.render(Context({"n": 2})) == "Evidence (2): a, b"
    with translation.override("zh-hans"):
        assert t.render(Context({"n": 2})) == "佐证（2）：a、b"
