"""The audit log in words (issue 10, item 21): every action code has a label, the filter is a
select of labelled actions, an object is found by its full code and shown with its name and
code, and changes read as a before/after table with field labels, choice labels and local
times."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from django.urls import reverse

from qnwmh.audit.labels import action_label, all_labels
from qnwmh.audit.services import log_action, snapshot

ROOT = Path(__file__).resolve().parent.parent / "qnwmh"
APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))
ALTERNATIVES = "|".join(APPS)
CODE = re.compile(rf"^({ALTERNATIVES})(\.[a-z_]+){{1,2}}$")
THREE_PARTS = re.compile(rf"^({ALTERNATIVES})\.[a-z_]+\.[a-z_]+$")


def _name(func: ast.expr) -> str:
    return getattr(func, "id", getattr(func, "attr", ""))


def written_codes() -> tuple[set[str], set[str]]:
    """(codes, patterns): every code a ``log_action`` call (or ``export_xlsx(code=…)``) can
    write, and a regex for each f-string code. Where a module passes ``log_action`` a code
    held in a variable, every code-shaped string of that app in the module counts."""
    codes: set[str] = set()
    patterns: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        dynamic = False
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            arg: ast.expr | None = None
            if _name(node.func) == "log_action":
                arg = node.args[2] if len(node.args) > 2 else None
                arg = arg or next((k.value for k in node.keywords if k.arg == "code"), None)
            elif _name(node.func) == "export_xlsx":
                arg = next((k.value for k in node.keywords if k.arg == "code"), None)
            if arg is None:
                continue
            if isinstance(arg, ast.JoinedStr):
                patterns.add(
                    "".join(
                        re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_]+"
                        for v in arg.values
                    )
                )
                continue
            literals = [
                c.value
                for c in ast.walk(arg)
                if isinstance(c, ast.Constant) and isinstance(c.value, str) and CODE.match(c.value)
            ]
            codes.update(literals)
            if not literals:
                dynamic = True
        if dynamic:
            app = path.relative_to(ROOT).parts[0]
            codes.update(
                n.value
                for n in ast.walk(tree)
                if isinstance(n, ast.Constant)
                and isinstance(n.value, str)
                and THREE_PARTS.match(n.value)
                and n.value.startswith(app + ".")
            )
    return codes, patterns


def test_every_action_code_has_a_label():
    codes, patterns = written_codes()
    assert len(codes) > 50  # the scan really found the services' calls
    labels = all_labels()
    missing = sorted(codes - set(labels))
    assert not missing, f"add a label to qnwmh/<app>/audit_labels.py for: {missing}"
    for pattern in patterns:
        assert any(re.fullmatch(pattern, c) for c in labels), f"no label matches {pattern}"
    assert action_label("collectives.collective.updated") == "修改集体信息"


def test_action_filter_is_a_select_of_labelled_actions(world: Any):
    log_action(world.actor("body_admin"), world.collective, "collectives.collective.updated")
    log_action(world.actor("city_admin"), None, "programme.rules.updated")
    client = world.client("city_admin")
    page = client.get(reverse("audit:log")).content.decode()
    assert '<select name="code"' in page
    assert '<option value="collectives.collective.updated">修改集体信息</option>' in page
    found = client.get(reverse("audit:log"), {"code": "collectives.collective.updated"})
    html = found.content.decode()
    assert "修改集体信息" in html and "修改创建规则" not in html.split("<tbody>", 1)[1]


def test_search_by_full_object_code_and_show_name_and_code(world: Any):
    c = world.collective
    log_action(world.actor("body_admin"), c, "collectives.collective.updated")
    log_action(world.actor("body_admin"), world.other_collective, "collectives.collective.updated")
    html = world.client("city_admin").get(reverse("audit:log"), {"object": c.code}).content.decode()
    body = html.split("<tbody>", 1)[1]
    assert c.name in body and c.code in body
    assert world.other_collective.name not in body
    # Lower case and spaces, as typed from a plaque, find it too.
    typed = " ".join(c.code.lower())
    html = world.client("city_admin").get(reverse("audit:log"), {"object": typed}).content.decode()
    assert c.name in html.split("<tbody>", 1)[1]


def test_changes_read_as_a_table_with_labels_and_local_times(world: Any, settings: Any):
    import datetime

    from django.utils import timezone

    from qnwmh.collectives.models import TitleStatus

    title = world.title
    before = snapshot(title)
    title.status = TitleStatus.REVOKED
    title.ended_on = datetime.date(2026, 3, 15)
    title.save()
    log_action(
        world.actor("city_admin"),
        title,
        "collectives.title.revoked",
        before=before,
        after=snapshot(title),
    )
    at = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    log_action(
        world.actor("city_admin"),
        world.collective,
        "collectives.collective.updated",
        before={"archived_at": None},
        after={"archived_at": at.isoformat()},
    )
    html = world.client("city_admin").get(reverse("audit:log")).content.decode()
    body = html.split("<tbody>", 1)[1]
    assert "{'" not in body and "{&#x27;" not in body  # no Python dicts
    assert "撤销称号" in body  # the action in words
    assert "状态" in body and "有效" in body and "已撤销" in body  # field and choice labels
    local = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    assert local in body and local == "2026-03-02 07:30"  # Asia/Shanghai
