"""Django's own messages on our forms read as proper Chinese: our core catalogue overrides the
stock zh_Hans entries that have stray spaces, half-width brackets or full stops."""

from __future__ import annotations

import re
from pathlib import Path

import django
import polib
import pytest
from django import forms
from django.utils import translation
from django.utils.translation import gettext, ngettext

# The source catalogue: it names where each message comes from.
DJANGO_SOURCES = Path(django.__file__).parent / "conf/locale/en/LC_MESSAGES/django.po"
# Where the messages people meet come from: form fields, validators, model validation,
# pagination and the CSRF page.
SOURCES = ("forms/", "core/validators.py", "db/models/", "core/paginator.py", "views/csrf.py")
PUNCT = "\u3000-\u303f\uff00-\uffef"
CJK = "\u4e00-\u9fff"
STRAY = re.compile(
    rf"[{PUNCT}] | [{PUNCT}]|[{CJK}][(.]|[{CJK}] \(|\)[{CJK}]|[(][{CJK}]|[{CJK}]\.$|null|Email"
)


def _user_facing() -> list[polib.POEntry]:
    po = polib.pofile(str(DJANGO_SOURCES))
    return [
        e
        for e in po
        if e.msgid
        and not e.obsolete
        # sentences, not model field descriptions ("Big (8 byte) integer")
        and (e.msgid.endswith(".") or e.msgid.startswith("(Hidden field"))
        and any(src in path for path, _line in e.occurrences for src in SOURCES)
    ]


def _zh(entry: polib.POEntry) -> str:
    with translation.override("zh-hans"):
        if entry.msgid_plural:
            return ngettext(entry.msgid, entry.msgid_plural, 2)
        return gettext(entry.msgid)


def test_no_stock_message_has_stray_spaces_or_half_width_punctuation():
    entries = _user_facing()
    assert len(entries) > 40
    bad = {e.msgid: _zh(e) for e in entries if STRAY.search(_zh(e))}
    assert not bad, bad


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (forms.CharField(max_length=5), "abcdefgh", "最多输入 5 个字符（现有 8 个）。"),
        (forms.EmailField(), "not-an-address", "请输入有效的电子邮箱地址。"),
        (
            forms.ChoiceField(choices=[("a", "甲")]),
            "z",
            "请选择一个有效的选项，“z”不在可选范围内。",
        ),
        (forms.DecimalField(decimal_places=1), "1.25", "小数不能超过 1 位。"),
    ],
)
def test_form_errors_in_chinese_read_cleanly(field, value, expected):
    with translation.override("zh-hans"):
        with pytest.raises(forms.ValidationError) as caught:
            field.clean(value)
        assert caught.value.messages == [expected]
