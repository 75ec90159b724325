"""State changes of collectives, rosters and titles. One function per change; each checks
permission, validates, saves inside one transaction and writes one audit entry. A collective's
photo is public: it goes through the platform's one image pipeline (``qnwmh.core.images``)
like every stored image, and is written when the change commits."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives import counts as collective_counts
from qnwmh.collectives.eligibility import age_on, check_eligibility, reference_date
from qnwmh.collectives.models import (
    Collective,
    CollectiveStatus,
    Member,
    Title,
    TitleStatus,
)
from qnwmh.core import images
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.masking import masked_snapshot
from qnwmh.core.permissions import can, require
from qnwmh.core.storage import opaque_name, write_on_commit
from qnwmh.core.validation import check_text, check_texts, clean_or_raise, normalise_phone
from qnwmh.programme.models import ProgrammeRules

GOVERNED_FIELDS = frozenset({"body", "town", "sector", "ownership", "status"})
PROFILE_FIELDS = frozenset(
    {
        "name",
        "work_unit",
        "address",
        "supervision_phone",
        "supervision_email",
        "pledges",
        "photo",
    }
)
# Free text a person types; checked for invisible control characters (see core.validation).
COLLECTIVE_TEXT_FIELDS = ("name", "work_unit", "address", "supervision_phone", "pledges")
MEMBER_TEXT_FIELDS = ("name", "post", "phone")


def _clean_photo(value: Any, current: str = "") -> str:
    """The stored name for a new photo value: "" clears it; an upload goes through the one
    image pipeline (type from the content, pixel cap from the header, re-encoded without
    EXIF/GPS) and is written under a random name when the transaction commits. A bare name
    is accepted only if it is the current one (no pointing the public photo at another
    file)."""
    if not value:
        return ""
    if isinstance(value, str):
        if value != current:
            raise DomainError(_("请上传照片文件。"), field="photo")
        return value
    limit = ProgrammeRules.current().evidence_max_file_mb * 1024 * 1024
    try:
        value.seek(0, 2)
        size = value.tell()
        value.seek(0)
    except (AttributeError, OSError, ValueError):
        raise DomainError(_("请上传照片文件。"), field="photo") from None
    if size > limit:
        raise DomainError(
            _("照片过大：不能超过 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}, field="photo"
        )
    try:
        _fmt, image = images.check_image(value, name=getattr(value, "name", "") or "")
        clean = images.reencode(image)
    except DomainError as exc:
        raise DomainError(exc.message, code=exc.code, field="photo") from None
    name = opaque_name("collectives", clean.extension)
    write_on_commit(name, clean.content)
    return name


def _check_body(actor: Actor, collective: Collective) -> None:
    if collective.body.kind != "body":
        raise DomainError(_("集体必须归属于一个基层团委或团工委。"), field="body")
    if not can(actor, "collectives.create", collective.body):
        raise DomainError(_("您无权在该组织下管理集体。"), field="body")
    body_town = collective.body.town_id
    if body_town is not None and collective.town_id != body_town:
        raise DomainError(_("镇区团委所辖集体须位于本镇区。"), field="town")


def _check_unique_name(collective: Collective) -> None:
    clash = Collective.objects.filter(body_id=collective.body_id, name=collective.name)
    if collective.pk:
        clash = clash.exclude(pk=collective.pk)
    if clash.exists():
        raise DomainError(
            _("该组织下已有同名集体“%(name)s”。") % {"name": collective.name}, field="name"
        )


@transaction.atomic
def collective_create(actor: Actor, *, values: dict[str, Any]) -> Collective:
    check_texts(values, COLLECTIVE_TEXT_FIELDS)
    values = dict(values)
    photo = values.pop("photo", "")
    collective = Collective(**values)
    _check_body(actor, collective)
    _check_unique_name(collective)
    clean_or_raise(collective)
    collective.photo.name = _clean_photo(photo)  # last: decoded only once the rest is valid
    collective.save()
    log_action(actor, collective, "collectives.collective.created", after=snapshot(collective))
    return collective


@transaction.atomic
def collective_update(
    actor: Actor, *, collective: Collective, values: dict[str, Any]
) -> Collective:
    require(actor, "collectives.edit", collective)
    collective = lock(Collective, collective.pk)
    allowed = PROFILE_FIELDS | (
        GOVERNED_FIELDS
        if can(actor, "collectives.edit_governed_fields", collective)
        else frozenset()
    )
    refused = set(values) - allowed
    if refused:
        raise DomainError(
            _("您无权修改以下字段：%(fields)s") % {"fields": "、".join(sorted(refused))}
        )
    check_texts(values, COLLECTIVE_TEXT_FIELDS)
    before = snapshot(collective)
    values = dict(values)
    photo = values.pop("photo", None)
    for name, value in values.items():
        setattr(collective, name, value)
    if "body" in values or "town" in values:
        _check_body(actor, collective)
    _check_unique_name(collective)
    clean_or_raise(collective)
    if photo is not None:  # last: decoded only once the rest is valid
        collective.photo.name = _clean_photo(photo, current=collective.photo.name or "")
    collective.save()
    log_action(
        actor,
        collective,
        "collectives.collective.updated",
        before=before,
        after=snapshot(collective),
    )
    return collective


@transaction.atomic
def collective_photo_reclean(actor: Actor, *, collective: Collective) -> str:
    """Put a photo stored before the image pipeline through it: re-encoded under a new
    random name (the old file is kept, unreferenced and unserved), or cleared when it is
    refused. Returns "cleaned", "cleared" or "missing" (file gone: left as is)."""
    require(actor, "collectives.reclean_photos", collective)
    collective = lock(Collective, collective.pk)
    old = collective.photo.name or ""
    if not old:
        return "missing"
    try:
        with collective.photo.open("rb") as fh:
            data = io.BytesIO(fh.read())
    except OSError:
        return "missing"
    data.name = old
    try:
        collective.photo.name = _clean_photo(data)
        outcome = "cleaned"
    except DomainError:
        collective.photo.name = ""
        outcome = "cleared"
    collective.save(update_fields=["photo", "updated_at"])
    log_action(
        actor,
        collective,
        "collectives.collective.photo_recleaned",
        before={"photo": old},
        after={"photo": collective.photo.name},
        data={"outcome": outcome},
    )
    return outcome


@transaction.atomic
def collective_archive(actor: Actor, *, collective: Collective, reason: str) -> Collective:
    require(actor, "collectives.archive", collective)
    if not reason.strip():
        raise DomainError(_("请填写归档原因。"), field="reason")
    check_text(reason, field="reason")
    collective = lock(Collective, collective.pk)
    if collective.status == CollectiveStatus.ARCHIVED:
        raise DomainError(_("该集体已归档。"))
    collective.status = CollectiveStatus.ARCHIVED
    collective.save(update_fields=["status", "updated_at"])
    log_action(actor, collective, "collectives.collective.archived", data={"reason": reason})
    return collective


# Roster ---------------------------------------------------------------------------------


def _check_birth_date(birth: datetime.date, rules: ProgrammeRules) -> None:
    today = timezone.localdate()
    if birth > today:
        raise DomainError(_("出生日期不能晚于今天。"), field="birth_date")
    if birth.year < 1900:
        raise DomainError(_("出生日期不合理。"), field="birth_date")
    if age_on(birth, today) < rules.min_member_age:
        raise DomainError(
            _("成员须年满 %(age)s 周岁。") % {"age": rules.min_member_age}, field="birth_date"
        )


def clean_member_values(values: dict[str, Any]) -> dict[str, Any]:
    """The roster's free text checked and the phone written in its one form (forms, API and
    import all pass through here)."""
    check_texts(values, MEMBER_TEXT_FIELDS)
    if "phone" in values:
        values = {**values, "phone": normalise_phone(values["phone"] or "")}
    return values


def _check_not_listed(member: Member) -> None:
    """One current row per person (name and birth date) in a collective; the database
    enforces it too (``one_current_row_per_person``)."""
    clash = Member.objects.current().filter(
        collective_id=member.collective_id, name=member.name, birth_date=member.birth_date
    )
    if member.pk:
        clash = clash.exclude(pk=member.pk)
    if clash.exists():
        raise DomainError(
            _("%(name)s（出生日期相同）已在名单中。") % {"name": member.name},
            code="duplicate_member",
            field="name",
        )


def _member_snapshot(member: Member) -> dict[str, Any]:
    """What the audit log keeps of a member: phone masked, age band for the birth date."""
    return masked_snapshot(snapshot(member), phones=("phone",), births=("birth_date",))


def _demote_other_leaders(collective: Collective, keep: Member | None) -> None:
    others = collective.members.current().filter(is_leader=True)
    if keep is not None and keep.pk:
        others = others.exclude(pk=keep.pk)
    others.update(is_leader=False)


@transaction.atomic
def member_add(actor: Actor, *, collective: Collective, values: dict[str, Any]) -> Member:
    require(actor, "collectives.edit_roster", collective)
    collective = lock(Collective, collective.pk)
    rules = ProgrammeRules.current()
    member = Member(collective=collective, **clean_member_values(values))
    _check_birth_date(member.birth_date, rules)
    _check_not_listed(member)
    if member.is_leader:
        _demote_other_leaders(collective, None)
    clean_or_raise(member)
    member.save()
    log_action(
        actor,
        member,
        "collectives.member.added",
        after=_member_snapshot(member),
        data={"collective": collective.code},
    )
    eligibility_refresh(collective, rules)
    return member


@transaction.atomic
def member_update(actor: Actor, *, member: Member, values: dict[str, Any]) -> Member:
    require(actor, "collectives.edit_roster", member.collective)
    collective = lock(Collective, member.collective_id)
    member = Member.objects.get(pk=member.pk)
    if member.left_on is not None:
        raise DomainError(_("该成员已离开集体，不能修改。"))
    rules = ProgrammeRules.current()
    before = _member_snapshot(member)
    for name, value in clean_member_values(values).items():
        setattr(member, name, value)
    _check_birth_date(member.birth_date, rules)
    _check_not_listed(member)
    if member.is_leader:
        _demote_other_leaders(collective, member)
    clean_or_raise(member)
    member.save()
    log_action(
        actor,
        member,
        "collectives.member.updated",
        before=before,
        after=_member_snapshot(member),
        data={"collective": collective.code},
    )
    eligibility_refresh(collective, rules)
    return member


@transaction.atomic
def member_remove(actor: Actor, *, member: Member, left_on: datetime.date | None = None) -> Member:
    """Take a member off the current roster; the row stays as history."""
    require(actor, "collectives.edit_roster", member.collective)
    collective = lock(Collective, member.collective_id)
    member = Member.objects.get(pk=member.pk)
    if member.left_on is not None:
        raise DomainError(_("该成员已离开集体。"))
    member.left_on = left_on or timezone.localdate()
    member.is_leader = False
    member.save(update_fields=["left_on", "is_leader"])
    log_action(actor, member, "collectives.member.removed", data={"collective": collective.code})
    eligibility_refresh(collective)
    return member


# Eligibility ----------------------------------------------------------------------------


def eligibility_refresh(collective: Collective, rules: ProgrammeRules | None = None) -> None:
    """Recompute the cached eligibility and member count (a derived figure, not audited),
    and the body's kept counts when the eligibility moved (an UPDATE sends no signal)."""
    rules = rules or ProgrammeRules.current()
    members = list(collective.members.current().only("birth_date", "nationality", "is_leader"))
    result = check_eligibility(members, rules, reference_date(rules))
    row = Collective.objects.filter(pk=collective.pk)
    # What is stored, not the caller's instance (which may be older than the row).
    body_id, before = row.values_list("body_id", "eligibility").get()
    row.update(eligibility=result.status, member_count=len(members))
    if before != result.status:
        collective_counts.refresh([body_id])
    collective.eligibility = result.status
    collective.member_count = len(members)


def eligibility_refresh_all(batch: int = 2000) -> int:
    """Recompute every collective's cached eligibility (after a rules change, or nightly),
    one transaction per batch of collectives."""
    rules = ProgrammeRules.current()
    on = reference_date(rules)
    done = 0
    last_id = 0
    while True:
        with transaction.atomic():
            ids = _eligibility_refresh_batch(last_id, batch, rules, on)
        if not ids:
            return done
        done += len(ids)
        last_id = ids[-1]


def _eligibility_refresh_batch(
    after: int, batch: int, rules: ProgrammeRules, on: datetime.date
) -> list[int]:
    """The next ``batch`` collectives after id ``after``, their rows locked (a roster change
    waits, so the eligibility read here is the one replaced): eligibility and member count
    recomputed, and the bodies whose kept counts moved recounted. Returns their ids."""
    from itertools import groupby

    rows = list(
        Collective.objects.select_for_update()
        .filter(id__gt=after)
        .order_by("id")
        .values_list("id", "body_id", "eligibility")[:batch]
    )
    ids = [cid for cid, _body, _was in rows]
    members = (
        Member.objects.current()
        .filter(collective_id__in=ids)
        .only("collective_id", "birth_date", "nationality", "is_leader")
        .order_by("collective_id")
    )
    by_collective = {cid: list(ms) for cid, ms in groupby(members, key=lambda m: m.collective_id)}
    updates = []
    moved: set[int] = set()
    for cid, body_id, was in rows:
        roster = by_collective.get(cid, [])
        status = check_eligibility(roster, rules, on).status
        updates.append(Collective(id=cid, eligibility=status, member_count=len(roster)))
        if status != was:
            moved.add(body_id)
    Collective.objects.bulk_update(updates, ["eligibility", "member_count"], batch_size=500)
    collective_counts.refresh(moved)
    return ids


# Titles ---------------------------------------------------------------------------------


@transaction.atomic
def title_award(
    actor: Actor,
    *,
    collective: Collective,
    level: str,
    session_no: int,
    year: int,
    awarded_on: datetime.date,
    stars: int = 1,
    external_id: str = "",
) -> Title:
    require(actor, "collectives.manage_titles", collective)
    collective = lock(Collective, collective.pk)
    if collective.titles.filter(level=level, status=TitleStatus.ACTIVE).exists():
        raise DomainError(_("该集体已持有有效的同级称号。"))
    title = Title(
        collective=collective,
        level=level,
        session_no=session_no,
        year=year,
        awarded_on=awarded_on,
        stars=stars,
        external_id=external_id,
    )
    if not 0 <= stars <= 3:
        raise DomainError(_("星级须在 0 到 3 之间。"), field="stars")
    check_text(external_id, field="external_id")
    clean_or_raise(title)
    title.save()
    log_action(actor, title, "collectives.title.awarded", after=snapshot(title))
    return title


def _end_title(
    actor: Actor, title: Title, status: str, reason: str, code: str, on: datetime.date | None
) -> Title:
    require(actor, "collectives.manage_titles", title.collective)
    title = lock(Title, title.pk)
    if title.status != TitleStatus.ACTIVE:
        raise DomainError(_("只有有效的称号才能终止。"))
    if not reason.strip():
        raise DomainError(_("请填写原因。"), field="reason")
    check_text(reason, field="reason")
    before = snapshot(title)
    title.status = status
    title.ended_on = on or timezone.localdate()
    title.end_reason = reason
    title.save(update_fields=["status", "ended_on", "end_reason"])
    log_action(actor, title, code, before=before, after=snapshot(title))
    return title


@transaction.atomic
def title_revoke(
    actor: Actor, *, title: Title, reason: str, on: datetime.date | None = None
) -> Title:
    return _end_title(actor, title, TitleStatus.REVOKED, reason, "collectives.title.revoked", on)


@transaction.atomic
def title_expire(
    actor: Actor, *, title: Title, reason: str, on: datetime.date | None = None
) -> Title:
    return _end_title(actor, title, TitleStatus.EXPIRED, reason, "collectives.title.expired", on)


@transaction.atomic
def title_set_stars(actor: Actor, *, title: Title, stars: int, reason: str) -> Title:
    require(actor, "collectives.manage_titles", title.collective)
    title = lock(Title, title.pk)
    if title.status != TitleStatus.ACTIVE:
        raise DomainError(_("只有有效的称号才能调整星级。"))
    if not 0 <= stars <= 3:
        raise DomainError(_("星级须在 0 到 3 之间。"), field="stars")
    check_text(reason, field="reason")
    before = snapshot(title)
    title.stars = stars
    title.save(update_fields=["stars"])
    log_action(
        actor,
        title,
        "collectives.title.stars_changed",
        before=before,
        after=snapshot(title),
        data={"reason": reason},
    )
    return title
