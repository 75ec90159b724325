"""Every spreadsheet the platform writes goes through the one safe writer (``core/xlsx.py``):
text planted with each formula prefix in every text column of every export comes back as
text, never as a formula; exports use labels, not codes, and local time; files that carry
personal data are never cached."""

from __future__ import annotations

import ast
import datetime
import io
import pathlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qnwmh.accounts.models import LoginEvent
from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.models import (
    CollectiveStatus,
    Eligibility,
    Level,
    Nationality,
    Ownership,
    TitleStatus,
)
from qnwmh.core.actor import Role
from qnwmh.cycles.models import RegistrationStatus, SubmissionStatus
from qnwmh.programme.models import QuotaBase
from qnwmh.supervision.models import Category, Channel, Kind, Status
from tests import creation_helpers as ch
from tests import factories as f
from tests import factories_cycles as fc
from tests import supervision_builders as sb

PREFIXES = {"eq": "=", "plus": "+", "minus": "-", "at": "@", "tab": "\t", "cr": "\r"}


@dataclass
class Planted:
    client: Client
    url: str
    texts: list[str]  # every one must come back, unchanged, as a text cell


def _danger(p: str, what: str) -> str:
    # A payload that would run if the cell were a formula; short enough for every column
    # (PostgreSQL enforces lengths, e.g. a body's 30-character short name).
    return f'{p}HYPERLINK("#{what}")'


def _body_with_admin(p: str) -> tuple[Any, Client, list[str]]:
    town = f.town(_danger(p, "town"))
    body = f.body(town, name=_danger(p, "body"))
    admin = f.user(f"admin{ord(p)}", Role.BODY_ADMIN, organisation=body)
    client = Client()
    client.force_login(admin)
    return body, client, [town.name, body.name]


def _collective(body: Any, p: str, **over: Any) -> tuple[Any, list[str]]:
    values = {
        "name": _danger(p, "name"),
        "work_unit": _danger(p, "unit"),
        "address": _danger(p, "address"),
        "supervision_phone": _danger(p, "phone"),
        "supervision_email": _danger(p, "email"),
        "pledges": _danger(p, "pledges"),
        **over,
    }
    unit = values.pop("work_unit")
    c = f.collective(body, members=0, sector=f.sector(_danger(p, "sector")), **values)
    c.work_unit = unit
    c.save()
    return c, [*values.values(), unit, c.sector.name]


def _complaints(world: Any, p: str) -> Planted:
    body, _client, _texts = _body_with_admin(p)
    c, _ = _collective(body, p)
    sb.complaint(c, text=_danger(p, "text"), filer_name=_danger(p, "filer"))
    return Planted(
        world.client("city_admin"),
        reverse("supervision:export"),
        [body.name, c.name, _danger(p, "text"), p + "*" * (len(_danger(p, "filer")) - 1)],
    )


def _registrations(world: Any, p: str) -> Planted:
    body, client, texts = _body_with_admin(p)
    c, _ = _collective(body, p)
    cycle = fc.cycle()
    fc.registration(
        cycle,
        c,
        status=RegistrationStatus.RETURNED,
        leader_name=_danger(p, "leader"),
        review_reason=_danger(p, "reason"),
    )
    return Planted(
        client,
        reverse("cycles:registration_export", args=[cycle.code]),
        [*texts, c.name, _danger(p, "leader"), _danger(p, "reason")],
    )


def _quotas(world: Any, p: str) -> Planted:
    body, _client, _texts = _body_with_admin(p)
    cycle = fc.cycle()
    q = fc.quota(cycle, body, 4)
    q.override, q.override_reason = 5, _danger(p, "override")
    q.save()
    return Planted(
        world.client("city_admin"),
        reverse("cycles:quota_export", args=[cycle.code]),
        [body.name, q.override_reason],
    )


def _compliance(world: Any, p: str) -> Planted:
    body, client, texts = _body_with_admin(p)
    c, _ = _collective(body, p)
    ch.register(c, ch.cycle())
    return Planted(client, reverse("creation:compliance_export"), [*texts, c.name])


def _collectives(world: Any, p: str) -> Planted:
    body, client, texts = _body_with_admin(p)
    _c, planted = _collective(body, p)
    return Planted(client, reverse("collectives:list") + "?format=xlsx", texts + planted)


def _members(world: Any, p: str) -> Planted:
    body, client, _texts = _body_with_admin(p)
    c, _ = _collective(body, p)
    m = f.member(c, name=_danger(p, "member"), phone=_danger(p, "mp"))
    m.post = _danger(p, "post")
    m.save()
    return Planted(
        client,
        reverse("collectives:members_export"),
        [body.name, c.name, m.name, m.post, m.phone],
    )


def _users(world: Any, p: str) -> Planted:
    u = f.user(_danger(p, "username"), Role.BODY_ADMIN, organisation=world.body)
    u.display_name = _danger(p, "display")
    u.save()
    return Planted(
        world.client("city_admin"),
        reverse("accounts:user_list") + "?format=xlsx",
        [u.username, u.display_name],
    )


def _login_log(world: Any, p: str) -> Planted:
    e = LoginEvent.objects.create(
        kind=LoginEvent.Kind.FAILURE, username=_danger(p, "login"), user_agent=_danger(p, "ua")
    )
    return Planted(
        world.client("city_admin"),
        reverse("accounts:login_log") + "?format=xlsx",
        [e.username, e.user_agent],
    )


def _audit_log(world: Any, p: str) -> Planted:
    e = AuditEntry.objects.create(
        actor_label=_danger(p, "actor"),
        code="collectives.collective.updated",
        object_type="collectives.collective",
        object_repr=_danger(p, "object"),
    )
    return Planted(
        world.client("city_admin"),
        reverse("audit:log") + "?format=xlsx",
        [e.actor_label, e.object_repr],
    )


def _import_template(world: Any, p: str) -> Planted:
    _body, client, texts = _body_with_admin(p)
    f.sector(_danger(p, "sector"))
    return Planted(client, reverse("collectives:import_template"), [*texts, _danger(p, "sector")])


EXPORTS: dict[str, Callable[[Any, str], Planted]] = {
    "complaints": _complaints,
    "registrations": _registrations,
    "quotas": _quotas,
    "compliance": _compliance,
    "collectives": _collectives,
    "members": _members,
    "users": _users,
    "login_log": _login_log,
    "audit_log": _audit_log,
    "import_template": _import_template,
}


def _download(client: Client, url: str) -> tuple[Any, bytes]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.streaming, "every spreadsheet streams from the one writer"
    assert "no-store" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    return response, data


@pytest.mark.parametrize("prefix", list(PREFIXES.values()), ids=list(PREFIXES))
@pytest.mark.parametrize("export", list(EXPORTS))
def test_formula_prefixes_stay_text_in_every_export(world, export, prefix):
    planted = EXPORTS[export](world, prefix)
    _response, data = _download(planted.client, planted.url)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            xml = archive.read(name)
            assert b"<f>" not in xml and b"<f " not in xml, name
    wb = openpyxl.load_workbook(io.BytesIO(data))
    texts: set[str] = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.add(cell.value)
                    if cell.value.startswith(tuple(PREFIXES.values())):
                        assert cell.data_type == "s" and cell.quotePrefix, cell.value
    missing = [t for t in planted.texts if t not in texts]
    assert not missing, missing
    # Labels, never stored codes (the audit log's own columns are its codes and data).
    if export != "audit_log":
        assert not (texts & CHOICE_CODES), texts & CHOICE_CODES


def test_no_module_writes_workbooks_outside_the_one_writer():
    root = pathlib.Path(__file__).resolve().parent.parent / "qnwmh"
    allowed = {"load_workbook"}  # reading is not writing
    offenders = []
    for path in root.rglob("*.py"):
        if path.relative_to(root).as_posix() == "core/xlsx.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                bad = node.module != "openpyxl" or bool({a.name for a in node.names} - allowed)
            elif isinstance(node, ast.Import):
                bad = any(a.name.startswith("openpyxl") for a in node.names)
            else:
                bad = isinstance(node, ast.Attribute) and node.attr in ("Workbook", "save_workbook")
            if bad:
                offenders.append(f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}")
    assert not offenders, offenders


# Labels and local time (item 19) ---------------------------------------------------------

CODES = {"met", "near", "not_met", "submitted", "returned", "accepted", "titles_held"}
CHOICE_CODES = {
    str(value)
    for choices in (
        CollectiveStatus,
        Eligibility,
        Level,
        Nationality,
        Ownership,
        TitleStatus,
        RegistrationStatus,
        SubmissionStatus,
        QuotaBase,
        Category,
        Channel,
        Kind,
        Status,
        LoginEvent.Kind,
    )
    for value in choices.values
} - {"city"}  # also the world's city admin's username


def _cells(data: bytes) -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [tuple(row) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]


def test_registration_export_uses_labels_and_local_time(world):
    cycle = fc.cycle()
    filed = datetime.datetime(2027, 3, 1, 17, 30, tzinfo=datetime.UTC)  # 01:30 next day local
    reg = fc.registration(cycle, world.collective, status=RegistrationStatus.ACCEPTED)
    reg.eligibility, reg.filed_at = "near", filed
    reg.save()
    fc.registration(cycle, f.collective(world.body, members=0))  # eligibility "met"
    _r, data = _download(
        world.client("body_admin"), reverse("cycles:registration_export", args=[cycle.code])
    )
    rows = _cells(data)
    values = {v for row in rows for v in row if v is not None}
    assert not (values & CODES), values & CODES
    assert {"临界", "符合", "已受理"} <= values or {"临界", "符合"} <= values
    ours = next(row for row in rows if row[1] == world.collective.name)
    local = timezone.localtime(filed).replace(tzinfo=None)
    assert local == datetime.datetime(2027, 3, 2, 1, 30)
    assert local in ours  # a real date-time cell in Asia/Shanghai time, not a UTC string


def test_quota_and_complaint_exports_use_labels_and_local_time(world):
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 4)
    _r, data = _download(
        world.client("city_admin"), reverse("cycles:quota_export", args=[cycle.code])
    )
    rows = _cells(data)
    assert not ({v for row in rows for v in row} & CODES)
    assert any(4 in row for row in rows[1:])  # numbers stay numbers

    received = datetime.datetime(2026, 5, 4, 20, 15, tzinfo=datetime.UTC)
    sb.complaint(world.collective, received_at=received)
    _r, data = _download(world.client("city_admin"), reverse("supervision:export"))
    rows = _cells(data)
    assert datetime.datetime(2026, 5, 5, 4, 15) in rows[1]
    assert not ({v for row in rows for v in row} & {"attitude", "received", "web", "phone"})


def test_login_log_and_audit_exports_are_in_local_time(world):
    at = datetime.datetime(2026, 6, 1, 23, 0, tzinfo=datetime.UTC)
    LoginEvent.objects.create(kind=LoginEvent.Kind.FAILURE, username="zhang", at=at)
    _r, data = _download(world.client("city_admin"), reverse("accounts:login_log") + "?format=xlsx")
    row = next(r for r in _cells(data) if "zhang" in r)
    assert datetime.datetime(2026, 6, 2, 7, 0) in row and "登录失败" in row
