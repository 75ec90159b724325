"""Demo: creation plans (some with a second version), creation logs with real generated photos
(stored through the evidence service, so they are re-encoded like any upload), a mix of
compliant and non-compliant open-week months for titled collectives, upcoming open weeks for
the public calendar, and the bodies' 三个一 records with a WeChat-group QR code.

Uses the current cycle when an earlier builder made one; otherwise makes the 2025–2026 cycle
and files registrations for a share of the collectives.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from qnwmh.access.actor import actor_for
from qnwmh.collectives.models import Collective, Eligibility, Title
from qnwmh.core.demo_context import DemoContext
from qnwmh.creation import services
from qnwmh.creation.models import DutyKind, EntryKind
from qnwmh.creation.selectors import current_cycle, month_starts
from qnwmh.cycles.models import COUNTED_STATUSES, Cycle, Phase, Registration, RegistrationStatus
from qnwmh.orgs.models import Organisation

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
PALETTE = [
    (198, 40, 40),
    (21, 101, 192),
    (46, 125, 50),
    (239, 108, 0),
    (106, 27, 154),
    (0, 131, 143),
]

ACTIVITIES = [
    (EntryKind.JOB_DRILL, "岗位练兵：业务技能比武", "服务大厅"),
    (EntryKind.THEMED_TRAINING, "主题培训：《中山市青年文明号管理办法》学习", "会议室"),
    (EntryKind.VOLUNTEER_SERVICE, "青年志愿服务进社区", "社区服务站"),
    (EntryKind.EXCHANGE_VISIT, "号号联创交流互访", "兄弟单位"),
    (EntryKind.MEETING, "创建领导小组季度会议", "会议室"),
    (EntryKind.RULE_ADOPTED, "制定《青年文明号岗位服务规范》", "本单位"),
]


def _font(size: int) -> Any:
    try:
        return ImageFont.truetype(str(FONT), size)
    except OSError:
        return ImageFont.load_default()


def photo(ctx: DemoContext, caption: str, when: datetime.date) -> SimpleUploadedFile:
    """A 640×480 'photo': sky, ground, a row of people, a banner with the caption, EXIF time."""
    rng = ctx.rng
    image = Image.new("RGB", (640, 480), (200 + rng.randint(0, 40), 220, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 480), fill=(150 + rng.randint(0, 60), 140, 110))
    colour = rng.choice(PALETTE)
    draw.rectangle((60, 40, 580, 120), fill=colour)
    draw.text((80, 58), caption[:16], fill=(255, 255, 255), font=_font(34))
    for i in range(rng.randint(4, 9)):
        x = 50 + i * 62 + rng.randint(-8, 8)
        shirt = rng.choice(PALETTE)
        draw.ellipse((x, 200, x + 34, 234), fill=(240, 200, 170))
        draw.rectangle((x - 4, 236, x + 38, 320), fill=shirt)
    draw.text((20, 440), f"{when:%Y-%m-%d}", fill=(255, 255, 255), font=_font(22))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = f"{when:%Y:%m:%d} 10:{rng.randint(10, 59)}:00"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, exif=exif.tobytes())
    return SimpleUploadedFile(
        f"IMG_{when:%Y%m%d}_{rng.randint(1000, 9999)}.jpg",
        out.getvalue(),
        content_type="image/jpeg",
    )


def qr_png(text: str) -> SimpleUploadedFile:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=6, border=2)
    return SimpleUploadedFile("wechat-group-qr.png", out.getvalue(), content_type="image/png")


def _cycle(ctx: DemoContext) -> Cycle:
    cycle = current_cycle(ctx.today)
    if cycle is not None:
        return cycle
    reg = ctx.today.year if ctx.today.year % 2 else ctx.today.year - 1
    phase = Phase.CREATION if ctx.today < datetime.date(reg + 1, 5, 1) else Phase.CERTIFICATION
    return Cycle.objects.create(
        session_no=23 + (reg - 2025) // 2,
        registration_year=reg,
        certification_year=reg + 1,
        phase=phase,
        registration_opens_on=datetime.date(reg, 1, 1),
        registration_closes_on=datetime.date(reg, 3, 31),
        creation_ends_on=datetime.date(reg + 1, 4, 30),
        certification_starts_on=datetime.date(reg + 1, 5, 1),
        certification_ends_on=datetime.date(reg + 1, 12, 31),
    )


def _registered(ctx: DemoContext, cycle: Cycle) -> list[Any]:
    regs = Registration.objects.filter(cycle=cycle, status__in=COUNTED_STATUSES)
    if not regs.exists():
        fresh = list(
            Collective.objects.filter(id__in=[c.id for c in ctx.collectives])
            .exclude(eligibility=Eligibility.NOT_MET)
            .order_by("id")
        )
        for i, c in enumerate(fresh[::6]):
            Registration.objects.create(
                cycle=cycle,
                number=f"{cycle.registration_year}-D{i + 1:04d}",
                collective=c,
                body=c.body,
                town=c.town,
                ownership=c.ownership,
                status=RegistrationStatus.FILED,
                plan_summary="围绕岗位服务开展创建",
                leader_name="号长",
                leading_group="单位负责人 组长",
                pledge="热情服务，接受监督",
                filed_at=datetime.datetime.combine(
                    cycle.registration_opens_on, datetime.time(9), tzinfo=datetime.UTC
                ),
            )
    return [r.collective for r in regs.select_related("collective__body", "collective__town")]


def build(ctx: DemoContext) -> None:
    city_user = ctx.users.get("city_admin")
    if city_user is None:
        return
    actor = actor_for(city_user)
    current = _cycle(ctx)
    # History goes into the previous cycle when there is one (the current cycle may have just
    # opened). A closed cycle takes no records, so the demo reopens it while it replays them.
    cycle = Cycle.objects.filter(session_no=current.session_no - 1).first() or current
    phase = cycle.phase
    if phase not in services.WRITABLE_PHASES:
        Cycle.objects.filter(pk=cycle.pk).update(phase=Phase.CERTIFICATION)
        cycle.refresh_from_db()
    try:
        _history(ctx, actor, cycle)
    finally:
        Cycle.objects.filter(pk=cycle.pk).update(phase=phase)
    _upcoming(ctx, actor, current)
    if current.pk != cycle.pk and current.phase in services.WRITABLE_PHASES:
        for c in _registered(ctx, current)[:5]:
            services.plan_save(
                actor,
                collective=c,
                cycle=current,
                values={
                    "goals": f"巩固创建成果，{c.name}群众满意率保持 98% 以上。",
                    "vehicles": "岗位练兵\n开放周",
                    "slogan": "青春服务，一路同行",
                },
            )
    _duties(ctx, actor, current if current.phase in services.WRITABLE_PHASES else cycle)


def _history(ctx: DemoContext, actor: Any, cycle: Cycle) -> None:
    start = cycle.registration_opens_on
    end = min(ctx.today, cycle.certification_ends_on)
    registered = _registered(ctx, cycle)[:20]
    rng = ctx.rng
    manager = ctx.users.get("manager_demo")
    for n, c in enumerate(registered):
        services.plan_save(
            actor,
            collective=c,
            cycle=cycle,
            values={
                "goals": f"以“青年文明号”创建为抓手，打造{c.name}服务品牌；"
                "群众满意率达到 98% 以上。",
                "vehicles": "岗位练兵\n主题培训\n开放周\n志愿服务",
                "slogan": "青春建功新时代，优质服务零距离",
                "pledges": c.pledges or "热情服务，一次告知，限时办结。",
                "schedule": "\n".join(
                    f"{m:%Y-%m} 开展岗位练兵或主题培训"
                    for m in month_starts(start, start + datetime.timedelta(days=300))[::3]
                ),
                "leading_group": "单位负责人 组长\n团支部书记 副组长\n号长 成员",
            },
        )
        if n % 3 == 0:
            services.plan_save(
                actor,
                collective=c,
                cycle=cycle,
                note="根据初评意见调整目标",
                values={
                    "goals": f"以“青年文明号”创建为抓手，打造{c.name}服务品牌；"
                    "群众满意率达到 99%，投诉办结率 100%。",
                    "vehicles": "岗位练兵\n主题培训\n开放周\n志愿服务\n号号联创",
                    "slogan": "青春建功新时代，优质服务零距离",
                    "pledges": c.pledges or "热情服务，一次告知，限时办结。",
                    "schedule": "每季度一次岗位练兵\n每半年一次主题培训",
                    "leading_group": "单位负责人 组长\n团支部书记 副组长\n号长 成员",
                },
            )
        # A few collectives have no required activity yet (for the compliance pages).
        if n % 5 == 4:
            continue
        for kind, title, place in rng.sample(ACTIVITIES, 2):
            when = start + datetime.timedelta(days=rng.randint(20, max(21, (end - start).days)))
            when = min(when, end)
            services.entry_create(
                actor,
                collective=c,
                cycle=cycle,
                values={
                    "kind": kind,
                    "title": title,
                    "occurred_on": when,
                    "place": place,
                    "participants": rng.randint(8, 60),
                    "description": f"{c.name}{title}，参与青年踊跃。",
                    "public": True,
                },
                files=[photo(ctx, title, when) for _ in range(rng.randint(1, 2))],
            )
    _open_weeks(ctx, actor, cycle, start, end, manager)


def _titled(ctx: DemoContext, manager: Any) -> list[Any]:
    titled_ids = set(Title.objects.active().values_list("collective_id", flat=True))
    titled = [c for c in ctx.collectives if c.id in titled_ids][:6]
    if manager is not None:
        managed = [a.collective for a in manager.assignments.all() if a.collective_id]
        titled = [c for c in managed if c.id in titled_ids] + [
            c for c in titled if c not in managed
        ]
    return titled


def _upcoming(ctx: DemoContext, actor: Any, cycle: Cycle) -> None:
    """Upcoming open weeks for the public calendar (no photos yet: not happened)."""
    if cycle.phase not in services.WRITABLE_PHASES:
        return
    for i, c in enumerate(_titled(ctx, ctx.users.get("manager_demo"))):
        soon = ctx.today + datetime.timedelta(days=3 + i * 2)
        if not cycle.registration_opens_on <= soon <= cycle.certification_ends_on:
            continue
        services.entry_create(
            actor,
            collective=c,
            cycle=cycle,
            values={
                "kind": EntryKind.OPEN_WEEK,
                "title": "青年文明号开放周（欢迎预约参观）",
                "occurred_on": soon,
                "ends_on": soon + datetime.timedelta(days=4),
                "place": c.address or c.work_unit,
                "participants": 0,
                "description": "开放时间 9:00—17:00，欢迎市民参观体验、提出意见。",
                "public": True,
            },
        )


def _open_weeks(
    ctx: DemoContext,
    actor: Any,
    cycle: Cycle,
    start: datetime.date,
    end: datetime.date,
    manager: Any,
) -> None:
    rng = ctx.rng
    for i, c in enumerate(_titled(ctx, manager)):
        for month in month_starts(start, end):
            # Roughly one month in twelve missed (one in three for some collectives), so the
            # calendars show a mix of compliant and non-compliant months.
            if rng.random() < (0.08 if i % 3 else 0.3):
                continue
            day = month + datetime.timedelta(days=rng.randint(2, 20))
            if day > end:
                continue
            services.entry_create(
                actor,
                collective=c,
                cycle=cycle,
                values={
                    "kind": EntryKind.OPEN_WEEK,
                    "title": f"{month.month}月青年文明号开放周",
                    "occurred_on": day,
                    "ends_on": min(day + datetime.timedelta(days=4), end),
                    "place": c.address or c.work_unit,
                    "participants": rng.randint(10, 80),
                    "description": "邀请市民走进服务窗口，体验业务办理流程，听取意见建议。",
                    "public": True,
                },
                files=[photo(ctx, "青年文明号开放周", day)],
            )


def _duties(ctx: DemoContext, actor: Any, cycle: Cycle) -> None:
    kinds = {k.code: k for k in DutyKind.objects.all()}
    bodies = list(Organisation.objects.filter(kind=Organisation.Kind.BODY).order_by("path"))
    today = min(ctx.today, cycle.certification_ends_on)
    for n, body in enumerate(bodies[:12]):
        if n % 4 == 3:
            continue  # some bodies have nothing yet
        day = max(cycle.registration_opens_on, today - datetime.timedelta(days=n % 10))
        if "inspection" in kinds:
            services.duty_record_create(
                actor,
                body=body,
                cycle=cycle,
                duty=kinds["inspection"],
                values={
                    "title": "青年文明号创建集体全面走访调研",
                    "occurred_on": day,
                    "description": "走访辖内创建集体，检查台帐和公示牌。",
                },
                files=[photo(ctx, "走访调研", day)],
            )
        if "exchange" in kinds and n % 2 == 0:
            services.duty_record_create(
                actor,
                body=body,
                cycle=cycle,
                duty=kinds["exchange"],
                values={
                    "title": "青年文明号主题交流会",
                    "occurred_on": day,
                    "description": "组织创建集体交流经验。",
                },
                files=[photo(ctx, "主题交流会", day)],
            )
        if "channel" in kinds:
            services.duty_record_create(
                actor,
                body=body,
                cycle=cycle,
                duty=kinds["channel"],
                values={
                    "title": f"{body.short_name or body.name}青年文明号工作群",
                    "occurred_on": day,
                    "channel_kind": "wechat_group",
                    "members_count": 20 + n,
                },
                qr_file=qr_png(f"https://weixin.qq.com/g/demo-{body.code}"),
            )
