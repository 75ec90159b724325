"""zh-Hans by default, English complete: every catalogue entry translated, none fuzzy, the
compiled catalogues current, and no source string missing from a catalogue."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("qnwmh/*/locale/en/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_english_catalogue_is_complete(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_matches_its_source(po_path):
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo
    }
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po.translated_entries()
    }
    assert compiled == source, "run ./run messages and commit the .mo files"


@pytest.mark.once
def test_every_source_string_is_in_a_catalogue(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "qnwmh"
    shutil.copytree(
        ROOT / "qnwmh", copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo")
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "qnwmh.settings",
        "QNWMH_ENV": "development",
    }

    # One makemessages over the whole package writes each app's strings to that app's catalogue
    # (the nearest locale directory), as ./run messages does app by app, in one Django start-up
    # instead of one per app. The package's own modules (settings, urls) have no catalogue, as
    # app by app they are never read; a locale directory at the top takes them, unchecked.
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "en", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {
        po_path: {e.msgid for e in polib.pofile(str(copy / po_path.relative_to(ROOT / "qnwmh")))}
        for po_path in CATALOGUES
    }
    missing = {}
    for po_path, msgids in fresh.items():
        known = {e.msgid for e in polib.pofile(str(po_path))}
        if msgids - known:
            missing[po_path.parts[-5]] = sorted(msgids - known)
    assert missing == {}, "run ./run messages and translate the new entries"


def test_the_interface_is_chinese_by_default_whatever_the_browser_says(world):
    page = world.client("body_admin").get(
        reverse("collectives:list"), HTTP_ACCEPT_LANGUAGE="en-US,en"
    )
    assert '<html lang="zh-hans"' in page.content.decode()
    assert "集体名称" in page.content.decode()


def test_the_header_switch_turns_the_interface_english(world):
    client = world.client("body_admin")
    switched = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("collectives:list")}
    )
    assert switched.status_code == 302
    page = client.get(reverse("collectives:list")).content.decode()
    assert '<html lang="en"' in page
    assert "集体名称" not in page
