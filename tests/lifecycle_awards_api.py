"""The awards half of a cycle through API v1, from where ``tests.lifecycle.through_api`` stops
(scoring closed and aggregated): ranking and freeze, inspections, the public notice, an
objection upheld and a reserve moved up with a supplementary notice, the decision with its
certificates, and a provincial nomination granted. City staff act with their token; the
public's calls carry none.

Every step has an API route, so no page is used. The clock is the only thing simulated:
``time_machine`` moves it past the notices' ends (the notices end by date on their own) and
the decision and nomination happen on that later day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import time_machine
from django.utils import timezone

from qnwmh.awards.models import EntryStatus, ShortlistEntry
from qnwmh.collectives.models import Title
from tests.api.helpers import ApiClient
from tests.lifecycle import Run, _ok

AW = "/awards"
CONTACT = {"contact_name": "王公众", "contact_phone": "13900139000", "contact_unit": "某社区"}


@dataclass
class Awarded:
    """What the awards half leaves: the shortlist's code, the entry upheld against and the
    reserve moved up in its place, the two city titles decided, their certificates' numbers,
    the tracking code of the objection and the provincial title granted."""

    shortlist: str
    removed: ShortlistEntry
    moved_up: ShortlistEntry
    city_titles: list[Title]
    certificates: list[str]
    tracking_code: str
    provincial_title: Title
    decided_on: datetime.date


def _at(day: datetime.date) -> Any:
    """The clock on ``day`` at ten in the morning, local time, ticking from there."""
    moment = datetime.datetime.combine(day, datetime.time(10))
    return time_machine.travel(timezone.make_aware(moment), tick=True)


def _inspect(city: ApiClient, shortlist: str, entry_id: int, today: str) -> None:
    done = city.post(
        f"{AW}/shortlists/{shortlist}/inspections/{entry_id}",
        {
            "visited_on": today,
            "inspectors": "团市委考察组",
            "findings": "台账齐全，群众评价好。",
            "outcome": "passed",
        },
    )
    row = _ok(done, 201)
    assert (row["status"], row["inspection"]["outcome"]) == ("listed", "passed")


def _publish(city: ApiClient, shortlist: str, entry_ids: list[int], heading: str) -> Any:
    published = city.post(
        f"{AW}/shortlists/{shortlist}/notices",
        {
            "heading": heading,
            "intro": "现将拟认定名单予以公示，公示期内受理实名异议。",
            "contact": "团市委 0571-00000000",
            "items": [{"entry_id": pk, "summary": "创建扎实，服务群众。"} for pk in entry_ids],
        },
    )
    return _ok(published, 201)


def awards_through_api(run: Run) -> Awarded:
    city = run.api.city
    public = ApiClient(None)
    c = run.cast
    today = timezone.localdate()
    by_body = {b.pk: [a for a in run.applications if a.body_id == b.pk] for b in c.bodies}
    tops = {pk: apps[0] for pk, apps in by_body.items()}  # the cast's order is rank order

    # 1. The ranking, then the freeze: a 2:1 cap of one place per body.
    ranking = _ok(city.get(f"{AW}/rounds/{run.round.code}/ranking"))
    assert ranking["count"] == len(run.applications) and ranking["what_if"] is False
    mine = {cap["body_id"]: cap for cap in ranking["caps"] if cap["body_id"] in by_body}
    assert {pk: (cap["accepted"], cap["cap"]) for pk, cap in mine.items()} == {
        b.pk: (3, 1) for b in c.bodies
    }
    frozen = _ok(city.post(f"{AW}/rounds/{run.round.code}/freeze", {"note": "按规则冻结"}), 201)
    sl = frozen["code"]
    status = {e["application_code"]: e["status"] for e in frozen["entries"]}
    assert status == {
        a.code: "listed" if a in tops.values() else "reserve" for a in run.applications
    }
    again = city.post(f"{AW}/rounds/{run.round.code}/freeze", {"note": ""})
    assert again.status_code == 400  # once per round
    entry = {e["application_code"]: e["id"] for e in frozen["entries"]}
    listed = [entry[tops[b.pk].code] for b in c.bodies]

    # 2. A passed inspection for each listed entry; the notice published (open from today).
    for pk in listed:
        _inspect(city, sl, pk, today.isoformat())
    notice = _publish(city, sl, listed, "第一批拟认定青年文明号公示")
    assert notice["state"] == "open" and notice["supplementary"] is False
    assert notice["opens_on"] == today.isoformat()
    assert len(notice["items"]) == 2

    # 3. The public reads it and objects, named, to the first body's listed collective.
    assert notice["code"] in {n["code"] for n in _ok(public.get(f"{AW}/notices"))}
    shown = _ok(public.get(f"{AW}/notices/{notice['code']}"))
    target = tops[c.bodies[0].pk]
    [item] = [i for i in shown["items"] if i["collective"] == target.collective.name]
    assert item["removed"] is False
    filed = public.post(
        f"{AW}/notices/{notice['code']}/items/{item['position']}/objections",
        {**CONTACT, "text": "该集体窗口服务存在推诿现象，请核查。"},
    )
    tracking = _ok(filed, 201)["tracking_code"]
    tracked = _ok(public.get(f"{AW}/objections/track/{tracking}"))
    assert (tracked["status"], tracked["outcome"]) == ("received", "")
    assert tracked["collective"] == target.collective.name

    # 4. City staff assign and uphold it: the entry comes off, the public sees why (never
    # who objected); the body's next reserve moves up, is inspected and noticed.
    [objection] = _ok(city.get(f"{AW}/objections", state="open"))["items"]
    assert objection["contact_phone"] == CONTACT["contact_phone"]  # city staff see it whole
    oid = objection["id"]
    assigned = _ok(city.post(f"{AW}/objections/{oid}/assign", {"handler_id": c.city.pk}))
    assert assigned["status"] == "handling" and assigned["handler"] == c.city.username
    reason = "经核查，该集体存在服务推诿问题，取消拟认定资格。"
    decided = city.post(
        f"{AW}/objections/{oid}/decide",
        {"outcome": "upheld", "findings": "内部核查：调阅监控属实。", "public_reason": reason},
    )
    assert _ok(decided)["status"] == "decided"
    removed = ShortlistEntry.objects.get(pk=entry[target.code])
    assert (removed.status, removed.removal_kind) == (EntryStatus.REMOVED, "objection")
    tracked = public.get(f"{AW}/objections/track/{tracking}")
    assert _ok(tracked)["outcome"] == "upheld" and tracked.json()["public_reason"] == reason
    for secret in (*CONTACT.values(), "内部核查"):
        assert secret not in tracked.content.decode()
    shown = _ok(public.get(f"{AW}/notices/{notice['code']}"))
    [item] = [i for i in shown["items"] if i["collective"] == target.collective.name]
    assert item["removed"] and item["removal_reason"] == reason

    reserve = by_body[c.bodies[0].pk][1]
    moved = city.post(
        f"{AW}/shortlists/{sl}/entries/{entry[reserve.code]}/move-up",
        {"reason": "原拟认定集体因异议成立移出，依次递补。"},
    )
    assert _ok(moved)["status"] == "listed"
    _inspect(city, sl, entry[reserve.code], today.isoformat())
    supplementary = _publish(city, sl, [entry[reserve.code]], "拟认定青年文明号补充公示")
    assert supplementary["supplementary"] is True
    assert [i["collective"] for i in supplementary["items"]] == [reserve.collective.name]

    # 5. Only the clock is simulated: the day after both notices have ended.
    ends = max(datetime.date.fromisoformat(n["closes_on"]) for n in (notice, supplementary))
    decided_on = ends + datetime.timedelta(days=1)
    with _at(decided_on):
        out = _decide(run, city, public, sl, entry, tops, reserve, decided_on)
        provincial = _nominate(run, city, out, decided_on)
    return Awarded(
        shortlist=sl,
        removed=removed,
        moved_up=ShortlistEntry.objects.get(pk=entry[reserve.code]),
        city_titles=out[0],
        certificates=out[1],
        tracking_code=tracking,
        provincial_title=provincial,
        decided_on=decided_on,
    )


def _decide(
    run: Run,
    city: ApiClient,
    public: ApiClient,
    sl: str,
    entry: dict[str, int],
    tops: dict[int, Any],
    reserve: Any,
    decided_on: datetime.date,
) -> tuple[list[Title], list[str]]:
    """6. The audit list, the decision, a certificate per title, verify and the PDF."""
    c = run.cast
    expected = {entry[tops[c.bodies[1].pk].code], entry[reserve.code]}
    notices = {n["code"]: n["state"] for n in _ok(public.get(f"{AW}/notices"))}
    assert set(notices.values()) == {"ended"}
    audit = _ok(city.get(f"{AW}/shortlists/{sl}/audit"))
    ready = {e["id"] for e in audit["entries"] if e["ready"]}
    assert ready == expected, audit["entries"]
    caps = {b["body_id"]: (b["cap"], b["decided"]) for b in audit["bodies"]}
    assert all(caps[b.pk] == (1, 0) for b in c.bodies)
    made = city.post(
        f"{AW}/shortlists/{sl}/decisions",
        {
            "document_no": f"团市发〔{decided_on.year}〕{run.cycle.session_no}号",
            "decided_on": decided_on.isoformat(),
            "audit_note": "经考察、公示无异议。",
            "entries": sorted(expected),
        },
    )
    decision = _ok(made, 201)
    certs = decision["certificates"]
    assert len(certs) == 2
    assert {(x["level"], x["stars"], x["session_no"]) for x in certs} == {
        ("city", 1, run.cycle.session_no)
    }
    winners = {tops[c.bodies[1].pk].collective.code, reserve.collective.code}
    assert {x["collective_code"] for x in certs} == winners
    titles = list(Title.objects.filter(collective__code__in=winners, level="city", status="active"))
    assert len(titles) == 2
    assert {(t.session_no, t.stars, t.awarded_on) for t in titles} == {
        (run.cycle.session_no, 1, decided_on)
    }
    assert not Title.objects.filter(collective=tops[c.bodies[0].pk].collective).exists()
    decided = ShortlistEntry.objects.filter(pk__in=expected, status=EntryStatus.DECIDED)
    assert decided.count() == 2
    twice = city.post(  # the same entries again: refused, nothing changed
        f"{AW}/shortlists/{sl}/decisions",
        {
            "document_no": "团市发〔重复〕1号",
            "decided_on": decided_on.isoformat(),
            "entries": sorted(expected),
        },
    )
    assert twice.status_code == 400 and "不能重复认定" in twice.json()["detail"]
    assert Title.objects.filter(collective__code__in=winners).count() == 2
    numbers = [x["number"] for x in certs]
    for number in numbers:
        verdict = _ok(public.get(f"{AW}/verify/{number}"))
        assert verdict["verdict"] == "cert_valid" and verdict["collective_code"] in winners
        assert (verdict["level"], verdict["stars"]) == ("city", 1)
        pdf = city.get(f"{AW}/certificates/{number}/pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    return titles, numbers


def _nominate(
    run: Run,
    city: ApiClient,
    out: tuple[list[Title], list[str]],
    decided_on: datetime.date,
) -> Title:
    """7. A provincial round whose deadline leaves the new titles held over the rules' one
    year; one nominated and granted. The city title stays, exempt from city re-review."""
    titles, _numbers = out
    deadline = decided_on.replace(year=decided_on.year + 2)
    made = city.post(
        f"{AW}/nomination-rounds",
        {
            "year": deadline.year,
            "name": f"{deadline.year}年度省级青年文明号推报",
            "quota": 1,
            "deadline": deadline.isoformat(),
            "basis": "团省委通知",
        },
    )
    rnd = _ok(made, 201)["code"]
    eligible = _ok(city.get(f"{AW}/nomination-rounds/{rnd}/eligible-titles"))
    codes = {t["code"] for t in eligible["results"]}
    assert {t.code for t in titles} <= codes
    title = titles[0]
    nominated = city.post(
        f"{AW}/nomination-rounds/{rnd}/nominations",
        {"title_code": title.code, "recommendation": "创建成效突出，推荐申报省级。"},
    )
    n = _ok(nominated, 201)
    assert (n["status"], n["position"], n["exempt_from_city_review"]) == ("nominated", 1, None)
    granted = city.post(
        f"{AW}/nomination-rounds/{rnd}/nominations/{n['code']}/outcome",
        {"outcome": "granted", "outcome_on": decided_on.isoformat()},
    )
    got = _ok(granted)
    assert got["status"] == "granted" and got["provincial_title_code"]
    assert got["exempt_from_city_review"]  # the reason: a provincial title is held
    provincial = Title.objects.get(code=got["provincial_title_code"])
    assert (provincial.level, provincial.collective_id) == ("provincial", title.collective_id)
    assert provincial.status == "active"
    title.refresh_from_db()
    assert (title.level, title.status) == ("city", "active")
    return provincial
