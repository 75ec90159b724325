"""Notices store facts (a registered kind and its parameters), not a sentence: the bell and
the list render them in the reader's language, e-mails in the recipient's; old rows that hold
only a sentence stay readable."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from qnwmh.cycles.models import Phase
from qnwmh.cycles.notices import cycle_msg
from qnwmh.notices import messages
from qnwmh.notices.models import Notice
from qnwmh.notices.services import notify
from tests import factories_cycles as fc
from tests.querycount import assert_constant_queries


def _english(client: Any) -> Any:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _chinese(client: Any) -> Any:
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    return client


def _phase_notice(world: Any) -> Notice:
    cycle = fc.cycle()
    (notice,) = notify(
        [world.users["body_admin"]],
        link="/office/",
        code="cycles.cycle.phase_changed",
        params={"cycle": cycle_msg(cycle), "phase": Phase.REGISTRATION_OPEN.label},
    )
    return notice


def test_notice_written_in_chinese_reads_in_english(world):
    with translation.override("zh-hans"):
        notice = _phase_notice(world)
    assert "进入" in notice.text  # the Chinese fallback sentence is kept beside the facts
    assert notice.params["phase"] == {"_t": ["报备进行中"]}
    page = _english(world.client("body_admin")).get(reverse("notices:list")).content.decode()
    assert "进入" not in page and "届" not in page
    with translation.override("en"):
        assert notice.message in page
        assert "registration" in notice.message.lower()


def test_notice_written_in_english_reads_in_chinese(world):
    with translation.override("en"):
        notice = _phase_notice(world)
    assert "进入" in notice.text  # stored facts, never the writer's language
    page = _chinese(world.client("body_admin")).get(reverse("notices:list")).content.decode()
    with translation.override("zh-hans"):
        assert notice.message in page
    assert "进入" in page


def test_old_rows_without_facts_show_their_stored_sentence(world):
    Notice.objects.create(
        recipient=world.users["body_admin"], text="旧的通知句子。", code="cycles.quota.published"
    )
    page = _english(world.client("body_admin")).get(reverse("notices:list")).content.decode()
    assert "旧的通知句子。" in page


def test_email_goes_in_the_recipients_language_not_the_senders(
    world, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "zh-hans"
    user = world.users["body_admin"]
    user.email = "body@example.cn"
    user.save()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        _phase_notice(world)
    (sent,) = mail.outbox
    assert "进入" in sent.body and "进入" in sent.subject


def test_kind_must_be_registered_and_templates_are_lazy(world):
    with pytest.raises(ValueError):
        notify([world.users["body_admin"]], code="nobody.knows", params={})
    with pytest.raises(TypeError):
        messages.register("x.y", "不是惰性字符串")  # type: ignore[arg-type]


def test_every_registered_kind_renders_in_both_languages():
    for code, template in messages.kinds().items():
        for lang in ("zh-hans", "en"):
            with translation.override(lang):
                assert str(template), code
    with translation.override("en"):
        assert "进入" not in str(messages.kinds()["cycles.cycle.phase_changed"])


def test_registration_eligibility_snapshot_reads_in_the_readers_language(world):
    """The eligibility snapshot a registration keeps is facts too: filed in Chinese, read in
    English (and a snapshot written as sentences before stays readable)."""
    from qnwmh.cycles import services

    cycle = fc.cycle()
    fc.quota(cycle, world.body)
    with translation.override("zh-hans"):
        reg = services.registration_file(
            world.actor("manager"), cycle=cycle, collective=world.collective, values=fc.values()
        ).registration
    size = next(c for c in reg.eligibility_checks if c["code"] == "size")
    assert size["label"] == {"_t": ["成员人数"]}
    url = reverse("cycles:registration_detail", args=[cycle.code, reg.code])
    english = _english(world.client("body_admin")).get(url).content.decode()
    assert "成员人数" not in english and "周岁" not in english
    with translation.override("en"):
        assert str(translation.gettext("成员人数")) in english
    chinese = _chinese(world.client("body_admin")).get(url).content.decode()
    assert "成员人数" in chinese and "周岁" in chinese
    reg.eligibility_checks = [
        {
            "code": "size",
            "label": "成员人数",
            "status": "met",
            "actual": "8",
            "required": "6–200 人",
        }
    ]
    reg.save()
    assert "6–200 人" in world.client("body_admin").get(url).content.decode()


def test_the_notices_list_costs_constant_queries_and_escapes_as_django(world):
    """The rows are a Jinja2 fragment: the same queries however many notices, and the text
    escaped as Django's templates escape it (``&#x27;`` for an apostrophe)."""
    client = world.client("body_admin")

    def grow() -> None:
        for _ in range(2):
            Notice.objects.create(
                recipient=world.users["body_admin"], text="<b>It's</b>", link="/office/?a=1&b=2"
            )

    assert_constant_queries(lambda: client.get(reverse("notices:list")), grow)
    page = client.get(reverse("notices:list")).content.decode()
    assert "&lt;b&gt;It&#x27;s&lt;/b&gt;" in page and 'href="/office/?a=1&amp;b=2"' in page
    assert 'name="csrfmiddlewaretoken"' in page
