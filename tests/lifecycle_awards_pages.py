"""The awards half of one cycle through the pages: from a ``Run`` of ``tests.lifecycle``
(scoring closed and aggregated) to titles, certificates and a provincial title.

City staff freeze the ranking (each body of the cast has a 2:1 cap of one place), inspect
the two listed collectives and publish the notice; a member of the public objects to one of
them on the public site and city staff uphold it, so that body's next reserve is moved up,
inspected and put on a supplementary notice. The notice period passes (the clock is the one
thing simulated), the city decides, the certificates verify, and one new title is nominated
to the province and granted there."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import time_machine
from django.urls import reverse
from django.utils import timezone

from qnwmh.awards.models import (
    Certificate,
    Decision,
    EntryStatus,
    Nomination,
    NominationRound,
    Objection,
    PublicNotice,
    Shortlist,
    ShortlistEntry,
)
from qnwmh.awards.selectors.nomination import exempt_from_city_review
from qnwmh.certification.models import Application
from qnwmh.collectives.models import Level, Title, TitleStatus
from tests.lifecycle import Run
from tests.page_forms import Browser

# Long enough after today for every notice of the run to have ended.
AFTER_THE_NOTICES = datetime.timedelta(days=20)


@dataclass
class Awarded:
    shortlist: Shortlist
    decision: Decision
    titles: list[Title]
    certificates: list[Certificate]
    provincial: Title


def _listed(s: Shortlist) -> list[ShortlistEntry]:
    return list(s.entries.filter(status=EntryStatus.LISTED).order_by("city_position"))


def _inspect(city: Browser, entry: ShortlistEntry) -> None:
    s = entry.shortlist
    city.get(reverse("awards:inspections", args=[s.code]))
    city.get(reverse("awards:inspection_record", args=[s.code, entry.pk]))
    city.submit(
        None,
        {
            "inspectors": "团市委青年发展部 王芳、陈立",
            "findings": "创建台帐齐全，开放周活动有照片留痕，群众评价良好。",
            "outcome": "passed",
        },
    )
    city.says("考察结果已记录。")


def _publish(city: Browser, s: Shortlist, heading: str) -> PublicNotice:
    city.get(reverse("awards:notice_publish", args=[s.code]))
    city.submit(
        None,
        {
            "heading": heading,
            "intro": "经考察，现将拟认定名单予以公示。公示期内如有异议，请实名反映。",
            "contact": "团市委青年发展部 0760-88318315",
        },
    )
    city.says("公示已发布。")
    return PublicNotice.objects.get(heading=heading)


def awards_through_pages(run: Run) -> Awarded:
    city = run.pages.city
    r = run.round

    # 排名: the live ranking, then the frozen shortlist with one place per body.
    city.get(reverse("awards:ranking", args=[r.code]))
    for app in run.applications:
        city.says(app.collective.name)
    city.get(reverse("awards:freeze", args=[r.code]))
    city.submit(None, {"note": "按综合得分排序，严格执行 2:1 比例。"})
    city.says("拟认定名单已确定。")
    s = Shortlist.objects.get(round=r)
    listed = _listed(s)
    tops: dict[int, Application] = {}
    for app in run.applications:  # the cast's order is each body's best first
        tops.setdefault(app.body_id, app)
    assert {e.application_id for e in listed} == {a.pk for a in tops.values()}
    assert s.entries.filter(status=EntryStatus.RESERVE).count() == len(run.applications) - 2

    # 考察 and 公示.
    for entry in listed:
        _inspect(city, entry)
    notice = _publish(city, s, f"第{r.cycle.session_no}届青年文明号拟认定名单公示")

    # 异议: a member of the public objects to the second body's collective.
    contested = listed[1]
    public = Browser()
    public.get(reverse("awards_public:notices"))
    public.says(notice.heading)
    public.get(reverse("awards_public:notice", args=[notice.code]))
    public.says(contested.collective.name)
    item = notice.items.get(entry=contested)
    public.get(reverse("awards_public:objection", args=[notice.code, item.position]))
    public.submit(
        None,
        {
            "contact_name": "李群众",
            "contact_phone": "13912345678",
            "text": "该集体开放周活动照片系往年旧照，创建台帐有补记情况，请核查。",
        },
    )
    objection = Objection.objects.get(item=item)
    assert public.url == reverse("awards_public:track", args=[objection.code])

    city.get(reverse("awards:objections"))
    city.get(reverse("awards:objection", args=[objection.pk]))
    city.submit(
        reverse("awards:objection_decide", args=[objection.pk]),
        {
            "outcome": "upheld",
            "findings": "经核查，开放周照片为 2023 年旧照。",
            "public_reason": "经核查，反映的开放周活动留痕不实问题属实，不予认定。",
        },
    )
    city.says("异议已办结，结果已公开。")
    contested.refresh_from_db()
    assert contested.status == EntryStatus.REMOVED
    public.get(reverse("awards_public:track", args=[objection.code]))
    public.says("不予认定")
    assert "李群众" not in public.html and "13912345678" not in public.html

    # 递补: that body's next reserve, moved up by a deliberate act, inspected, noticed again.
    reserve = (
        s.entries.filter(body_id=contested.body_id, status=EntryStatus.RESERVE)
        .order_by("body_position")
        .first()
    )
    assert reserve is not None
    city.get(reverse("awards:shortlist", args=[s.code]))
    city.submit(
        reverse("awards:move_up", args=[s.code, reserve.pk]),
        {"reason": "原拟认定集体异议属实，依次递补。"},
    )
    city.says("已递补进入名单。")
    reserve.refresh_from_db()
    assert reserve.status == EntryStatus.LISTED
    _inspect(city, reserve)
    supplementary = _publish(city, s, f"第{r.cycle.session_no}届青年文明号拟认定名单补充公示")
    assert supplementary.supplementary

    # 审核 and 评定, once every notice has ended.
    later = timezone.now() + AFTER_THE_NOTICES
    with time_machine.travel(later, tick=False):
        city = Browser(run.cast.city)  # three weeks on, the clerk signs in again
        city.get(reverse("awards:audit", args=[s.code]))
        document_no = f"中青联〔{later.year}〕{r.cycle.session_no}号"
        city.submit(
            None,
            {
                "document_no": document_no,
                "decided_on": later.date().isoformat(),
                "audit_note": "经考察、公示，同意认定。",
            },
        )
        city.says("已认定 2 个集体，证书已生成。")
    decision = Decision.objects.get(document_no=document_no)
    decided = list(decision.entries.select_related("title").order_by("city_position"))
    assert {e.pk for e in decided} == {listed[0].pk, reserve.pk}
    titles = [e.title for e in decided if e.title is not None]
    assert [(t.level, t.stars, t.session_no) for t in titles] == [
        (Level.CITY, 1, r.cycle.session_no)
    ] * 2

    # 证书: each one's page and PDF; its number verifies on the public site.
    certificates = list(Certificate.objects.filter(decision=decision).order_by("number"))
    assert len(certificates) == 2
    for cert in certificates:
        city.get(reverse("awards:certificate", args=[cert.number]))
        city.says(cert.number, cert.title.collective.name)
        pdf = city.client.get(reverse("awards:certificate_pdf", args=[cert.number]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        public.get(reverse("public:verify_code", args=[cert.number]))
        public.says(cert.title.collective.name, "有效")

    # 推报, thirteen months on: a new title, held a year by then, nominated and granted.
    title = titles[0]
    a_year_on = datetime.datetime.combine(
        title.awarded_on + datetime.timedelta(days=395), datetime.time(10), tzinfo=datetime.UTC
    )
    with time_machine.travel(a_year_on, tick=False):
        city = Browser(run.cast.city)
        deadline = timezone.localdate() + datetime.timedelta(days=30)
        city.get(reverse("awards:nomination_round_create"))
        city.submit(
            None,
            {
                "year": deadline.year,
                "name": f"{deadline.year}年度广东省青年文明号推报",
                "quota": 2,
                "deadline": deadline.isoformat(),
                "basis": "团省委关于开展青年文明号认定工作的通知",
            },
        )
        city.says("推报批次已建立。")
        nround = NominationRound.objects.get(year=deadline.year)
        city.get(reverse("awards:nomination_round", args=[nround.code]))
        city.says(title.collective.name)
        city.get(reverse("awards:nominate", args=[nround.code, title.code]))
        city.submit(None, {"recommendation": "创建成效突出，群众满意度高，同意推报。"})
        city.says(f"已推报 {title.collective.name}。")
        nomination = Nomination.objects.get(round=nround, title=title)
        city.submit(
            reverse("awards:nomination_outcome", args=[nround.code, nomination.code]),
            {"outcome": "granted", "note": "团省委命名为省级青年文明号"},
        )
        city.says("推报结果已登记。")
    nomination.refresh_from_db()
    provincial = nomination.provincial_title
    assert provincial is not None and provincial.level == Level.PROVINCIAL
    title.refresh_from_db()
    assert title.status == TitleStatus.ACTIVE  # the city title stays
    assert title.pk in exempt_from_city_review([title.pk])
    return Awarded(s, decision, titles, certificates, provincial)
