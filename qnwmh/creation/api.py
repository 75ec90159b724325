"""REST endpoints for creation records (plans, log entries with evidence upload, compliance),
calling the same selectors and services as the pages.

Mounted by the API app as ``router`` (``/api/v1/creation/...``). The actor is the bearer
token's, read with ``qnwmh.core.apischema.api_actor`` as in every router.
Out-of-scope collectives answer 404, refusals 403, broken rules 400 with the Chinese message.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from qnwmh.core.apischema import CodeStr, Counted, Line, Text, api_actor, counted, errors
from qnwmh.core.permissions import require
from qnwmh.creation import services
from qnwmh.creation.models import CreationPlan, LogEntry
from qnwmh.creation.selectors import (
    collective_compliance,
    collective_for_records,
    collective_log,
    compliance_for,
    creating_members,
    cycle_from_request,
    entry_for_records,
    members_page_collectives,
)

router = Router(tags=["creation"])

# A cycle code in a query ("" = the current cycle) and bounds that keep paging inside the database.
CycleCode = Annotated[str, Field(default="", pattern=r"^[0-9A-Z]{0,12}$")]
MAX_OFFSET = 1_000_000


class EvidenceOut(Schema):
    code: str
    kind: str
    content_type: str
    size: int
    sha256: str
    captured_at: datetime.datetime | None
    duplicate: bool


class EntryOut(Schema):
    code: str
    kind: str
    title: str
    occurred_on: datetime.date
    ends_on: datetime.date | None
    place: str
    participants: int
    description: str
    public: bool
    revision: int
    evidence: list[EvidenceOut]


class EntryPage(Counted):
    items: list[EntryOut]


class EntryIn(Schema):
    kind: Line = Field(max_length=30)
    title: Line = Field(max_length=200)
    occurred_on: datetime.date
    ends_on: datetime.date | None = None
    place: Line = Field(default="", max_length=200)
    participants: int = Field(default=0, ge=0, le=100_000)
    description: Text = Field(default="", max_length=5000)
    public: bool = True


class PlanOut(Schema):
    number: int
    goals: str
    vehicles: str
    slogan: str
    pledges: str
    schedule: str
    leading_group: str
    note: str
    created_at: datetime.datetime


class MonthOut(Schema):
    month: str
    count: int
    status: str


class ComplianceOut(Schema):
    collective: str
    name: str
    registered: bool
    titled: bool
    required_count: int
    required_needed: int
    required_ok: bool
    missing_months: int
    months: list[MonthOut]


def _evidence_out(ev: Any) -> dict[str, Any]:
    return {
        "code": ev.code,
        "kind": ev.kind,
        "content_type": ev.content_type,
        "size": ev.size,
        "sha256": ev.sha256,
        "captured_at": ev.captured_at,
        "duplicate": ev.is_duplicate,
    }


def _entry_out(e: LogEntry) -> dict[str, Any]:
    return {
        "code": e.code,
        "kind": e.kind,
        "title": e.title,
        "occurred_on": e.occurred_on,
        "ends_on": e.ends_on,
        "place": e.place,
        "participants": e.participants,
        "description": e.description,
        "public": e.public,
        "revision": e.revision,
        "evidence": [_evidence_out(ev) for ev in e.attachments.all()],
    }


def _compliance_out(row: Any) -> dict[str, Any]:
    return {
        "collective": row.collective.code,
        "name": row.collective.name,
        "registered": row.registered,
        "titled": row.titled,
        "required_count": row.required_count,
        "required_needed": row.required_needed,
        "required_ok": row.required_ok,
        "missing_months": row.missing_months,
        "months": [
            {"month": f"{m.month:%Y-%m}", "count": m.count, "status": m.status} for m in row.months
        ],
    }


@router.get("/creation/{code}/entries", response={200: EntryPage, **errors(404)})
def list_entries(
    request: HttpRequest,
    code: CodeStr,
    cycle: CycleCode = "",
    kind: Annotated[str, Field(default="", max_length=30)] = "",
    limit: int = Query(50, ge=1, le=settings.API_MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    actor = api_actor(request)
    collective = collective_for_records(actor, code)
    cy = cycle_from_request({"cycle": cycle})
    limit = max(1, min(limit, settings.API_MAX_PAGE_SIZE))
    qs = collective_log(collective, cy, kind).prefetch_related("attachments")
    return {
        **counted(qs),
        "items": [_entry_out(e) for e in qs[max(0, offset) : max(0, offset) + limit]],
    }


@router.post("/creation/{code}/entries", response={201: EntryOut, **errors(400, 403, 404)})
def create_entry(
    request: HttpRequest,
    code: CodeStr,
    payload: Form[EntryIn],
    cycle: CycleCode = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # ninja: optional upload
) -> Status:
    actor = api_actor(request)
    collective = collective_for_records(actor, code)
    entry = services.entry_create(
        actor,
        collective=collective,
        cycle=cycle_from_request({"cycle": cycle}),
        values=payload.dict(),
        files=list(files or []),
    )
    return Status(201, _entry_out(entry))


@router.post(
    "/creation/{code}/entries/{entry_code}/evidence",
    response={201: list[EvidenceOut], **errors(400, 403, 404)},
)
def add_evidence(
    request: HttpRequest, code: CodeStr, entry_code: CodeStr, files: File[list[UploadedFile]]
) -> Status:
    actor = api_actor(request)
    entry = entry_for_records(actor, code, entry_code)
    stored = services.entry_attach(actor, entry=entry, files=list(files))
    return Status(201, [_evidence_out(ev) for ev in stored])


@router.get("/creation/{code}/plan", response={200: list[PlanOut], **errors(404)})
def plan_versions(request: HttpRequest, code: CodeStr, cycle: CycleCode = "") -> list[Any]:
    actor = api_actor(request)
    collective = collective_for_records(actor, code)
    plan = CreationPlan.objects.filter(
        collective=collective, cycle=cycle_from_request({"cycle": cycle})
    ).first()
    return list(plan.versions.all()) if plan else []


@router.get("/creation/{code}/compliance", response={200: ComplianceOut, **errors(404)})
def get_compliance(request: HttpRequest, code: CodeStr, cycle: CycleCode = "") -> dict[str, Any]:
    actor = api_actor(request)
    collective = collective_for_records(actor, code)
    return _compliance_out(collective_compliance(collective, cycle_from_request({"cycle": cycle})))


@router.get("/creation/compliance", response={200: list[ComplianceOut], **errors(403, 404)})
def list_compliance(
    request: HttpRequest,
    cycle: CycleCode = "",
    limit: int = Query(50, ge=1, le=settings.API_MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[Any]:
    actor = api_actor(request)
    require(actor, "creation.view_compliance")
    cy = cycle_from_request({"cycle": cycle})
    limit = max(1, min(limit, settings.API_MAX_PAGE_SIZE))
    members = creating_members(actor, cy).select_related("collective").order_by("collective_id")
    rows = members_page_collectives(list(members[max(0, offset) : max(0, offset) + limit]))
    return [_compliance_out(r) for r in compliance_for(rows, cy)]
