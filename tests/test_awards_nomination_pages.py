"""Nomination pages: the round with its list and eligible titles (the city) or its own
nominations (a body), nominating through the form and its refusals, the outcome shown on the
nomination and the collective's pages, the Excel list and the dossier zip, constant queries."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
from django.urls import reverse
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.awards.models import Certificate, Nomination, NominationRound, NominationStatus
from qnwmh.awards.services import nomination as services
from qnwmh.certification.models import Application, ApplicationResult, ApplicationStatus
from qnwmh.collectives.models import Level, Title
from tests import creation_helpers as ch
from tests import factories as f
from tests import factories_certification as fcert
from tests.querycount import assert_constant_queries

TODAY = timezone.localdate()


def _round(w: Any, **over: Any) -> NominationRound:
    values = {
        "year": TODAY.year,
        "name": "省级青年文明号推报",
        "quota": 3,
        "deadline": TODAY + datetime.timedelta(days=30),
        **over,
    }
    return services.round_create(w.actor("city_admin"), values=values)


def _nominate(w: Any, r: NominationRound, t: Title) -> Nomination:
    return services.nominate(w.actor("city_admin"), round=r, title=t, recommendation="推荐。")


def _round_url(r: NominationRound) -> str:
    return reverse("awards:nomination_round", args=[r.code])


def _url(n: Nomination, name: str = "awards:nomination") -> str:
    return reverse(name, args=[n.round.code, n.code])


def test_the_city_creates_a_round_from_the_form(world: Any) -> None:
    client = world.client("city_admin")
    response = client.post(
        reverse("awards:nomination_round_create"),
        {"year": 2026, "name": "2026年省级推报", "quota": 0, "deadline": TODAY.isoformat()},
    )
    assert response.status_code == 200 and not NominationRound.objects.exists()
    response = client.post(
        reverse("awards:nomination_round_create"),
        {"year": 2026, "name": "2026年省级推报", "quota": 4, "deadline": TODAY.isoformat()},
    )
    r = NominationRound.objects.get()
    assert response.url == _round_url(r) and r.quota == 4


def test_the_city_sees_the_list_and_the_eligible_titles(world: Any) -> None:
    r = _round(world)
    other = f.title(f.collective(world.other_body, name="小榄镇青年突击队"))
    recent = f.title(
        f.collective(world.body, name="新获称号集体"),
        awarded_on=TODAY - datetime.timedelta(days=20),
    )
    _nominate(world, r, world.title)
    page = world.client("city_admin").get(_round_url(r)).content.decode()
    assert world.collective.name in page and "已推报 1 / 名额 3" in page
    assert reverse("awards:nominate", args=[r.code, other.code]) in page
    assert reverse("awards:nominate", args=[r.code, recent.code]) not in page
    assert "另有 1 个市级称号持有不满规定年限" in page
    searched = world.client("city_admin").get(_round_url(r) + "?q=突击").content.decode()
    assert other.collective.name in searched and "新获称号集体" not in searched


def test_a_body_sees_only_its_own_nominations_and_cannot_nominate(world: Any) -> None:
    r = _round(world)
    _nominate(world, r, world.title)
    _nominate(world, r, f.title(f.collective(world.other_body, name="外单位集体")))
    mine = world.client("body_admin").get(_round_url(r)).content.decode()
    assert world.collective.name in mine and "外单位集体" not in mine
    assert "可推报的市级称号" not in mine
    theirs = world.client("outsider").get(_round_url(r)).content.decode()
    assert "外单位集体" in theirs and world.collective.name not in theirs


def test_nominating_a_title_held_too_briefly_shows_why_and_changes_nothing(world: Any) -> None:
    r = _round(world)
    recent = f.title(
        f.collective(world.body, name="新获称号集体"),
        awarded_on=TODAY - datetime.timedelta(days=20),
    )
    url = reverse("awards:nominate", args=[r.code, recent.code])
    client = world.client("city_admin")
    assert "持有不满 1 年" in client.get(url).content.decode()
    response = client.post(url, {"recommendation": "推荐"})
    assert response.status_code == 200 and "持有不满 1 年" in response.content.decode()
    assert not Nomination.objects.exists()
    response = client.post(
        reverse("awards:nominate", args=[r.code, world.title.code]),
        {"recommendation": "服务群众成效突出。", "position": ""},
    )
    n = Nomination.objects.get()
    assert response.url == _url(n) and n.position == 1


def test_the_outcome_from_the_page_shows_on_the_nomination_and_the_collective(
    world: Any,
) -> None:
    r = _round(world)
    n = _nominate(world, r, world.title)
    client = world.client("city_admin")
    assert "登记推报结果" in client.get(_url(n)).content.decode()
    response = client.post(
        _url(n, "awards:nomination_outcome"),
        {"outcome": "granted", "outcome_on": TODAY.isoformat(), "note": "粤青联〔2026〕30号"},
    )
    assert "确认" in response.content.decode()  # asked first; nothing done yet
    n.refresh_from_db()
    assert n.status == NominationStatus.NOMINATED
    client.post(
        _url(n, "awards:nomination_outcome"),
        {
            "outcome": "granted",
            "outcome_on": TODAY.isoformat(),
            "note": "粤青联〔2026〕30号",
            "confirmed": "1",
        },
    )
    n.refresh_from_db()
    assert n.status == NominationStatus.GRANTED
    detail = world.client("body_admin").get(_url(n)).content.decode()
    assert "已获省级称号" in detail and "免于市级复核" in detail
    assert 'data-testid="outcome-form"' not in detail
    collective = (
        world.client("manager")
        .get(reverse("collectives:detail", args=[world.collective.code]))
        .content.decode()
    )
    assert "推报省级记录" in collective and r.name in collective and "自然保留" in collective
    assert world.collective.titles.filter(level=Level.PROVINCIAL, status="active").exists()


def test_a_refused_outcome_comes_back_as_a_message(world: Any) -> None:
    n = _nominate(world, _round(world), world.title)
    response = world.client("city_admin").post(
        _url(n, "awards:nomination_outcome"),
        {"outcome": "not_granted", "outcome_on": TODAY.isoformat(), "confirmed": "1"},
        follow=True,
    )
    assert "请填写未获省级称号的原因" in response.content.decode()
    n.refresh_from_db()
    assert n.status == NominationStatus.NOMINATED


def test_withdraw_from_the_page(world: Any) -> None:
    r = _round(world)
    n = _nominate(world, r, world.title)
    response = world.client("city_admin").post(
        _url(n, "awards:nomination_withdraw"), {"reason": "集体主动放弃", "confirmed": "1"}
    )
    assert response.url == _round_url(r)
    n.refresh_from_db()
    assert n.status == NominationStatus.WITHDRAWN and n.outcome_note == "集体主动放弃"


def test_the_excel_list_is_scoped_and_audited(world: Any) -> None:
    r = _round(world)
    _nominate(world, r, world.title)
    _nominate(world, r, f.title(f.collective(world.other_body, name="外单位集体")))
    Certificate.objects.create(number="ZS202600017X", title=world.title, stars=1, issued_on=TODAY)

    def rows(role: str) -> list[tuple[Any, ...]]:
        response = world.client(role).get(reverse("awards:nomination_round_export", args=[r.code]))
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return list(book.active.iter_rows(values_only=True))

    city = rows("city_admin")
    assert city[0][:2] == ("推报排序", "集体") and len(city) == 3
    assert city[1][1] == world.collective.name and city[1][8] == "ZS202600017X"
    assert [row[1] for row in rows("body_admin")[1:]] == [world.collective.name]
    assert AuditEntry.objects.filter(code="awards.nomination.exported").count() == 2


def _cycle_with_history(world: Any) -> Any:
    """The world's title earned in a cycle on the platform: registration, plan, an entry with
    a photo, a scored application and a certificate."""
    made = ch.setup(world)
    cy = made["cycle"]
    Title.objects.filter(pk=world.title.pk).update(session_no=cy.session_no)
    world.title.refresh_from_db()
    r = fcert.cert_round(cy)
    app = Application.objects.create(
        round=r,
        registration=world.collective.registrations.get(cycle=cy),
        collective=world.collective,
        body=world.body,
        town=world.collective.town,
        status=ApplicationStatus.RECOMMENDED,
    )
    ApplicationResult.objects.create(
        application=app,
        site_score=Decimal("88"),
        defence_score=Decimal("90"),
        combined=Decimal("89"),
    )
    Certificate.objects.create(number="ZS202500021K", title=world.title, stars=1, issued_on=TODAY)
    return made


def test_the_dossier_zip_holds_the_package(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    made = _cycle_with_history(world)
    n = _nominate(world, _round(world), world.title)
    response = world.client("body_admin").get(_url(n, "awards:nomination_dossier"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names == [
        "说明.txt",
        "创建计划.pdf",
        "创建台帐.pdf",
        "佐证材料清单.xlsx",
        "评审得分.xlsx",
        "证书.pdf",
    ]
    for name in ("创建计划.pdf", "创建台帐.pdf", "证书.pdf"):
        assert archive.read(name).startswith(b"%PDF")
    readme = archive.read("说明.txt").decode()
    assert world.collective.name in readme and "推荐。" in readme
    evidence = list(
        openpyxl.load_workbook(io.BytesIO(archive.read("佐证材料清单.xlsx"))).active.iter_rows(
            values_only=True
        )
    )
    photo = made["entry"].attachments.get()
    assert evidence[1][2] == made["entry"].title and evidence[1][7] == photo.sha256
    scores = list(
        openpyxl.load_workbook(io.BytesIO(archive.read("评审得分.xlsx"))).active.iter_rows(
            values_only=True
        )
    )
    assert scores[1][4] == 89
    assert AuditEntry.objects.filter(
        code="awards.nomination.dossier_exported", object_id=str(n.pk)
    ).exists()


def test_a_dossier_without_platform_history_says_what_it_lacks(world: Any) -> None:
    n = _nominate(world, _round(world), world.title)  # the world's title: 21st session
    response = world.client("city_admin").get(_url(n, "awards:nomination_dossier"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["说明.txt"]
    readme = archive.read("说明.txt").decode()
    assert "不在平台上" in readme and "尚无证书" in readme


def test_a_long_ledger_builds_the_dossier_in_the_background(
    world: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from qnwmh.downloads.models import FileStatus, GeneratedFile

    _cycle_with_history(world)
    n = _nominate(world, _round(world), world.title)
    settings.PDF_INLINE_ITEMS = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("city_admin").get(_url(n, "awards:nomination_dossier"))
    generated = GeneratedFile.objects.get()
    assert response.status_code == 302 and response.url == f"/office/files/{generated.code}/"
    assert generated.status == FileStatus.READY and generated.filename.endswith(".zip")


def test_the_round_page_costs_the_same_queries_at_any_size(world: Any) -> None:
    r = _round(world, quota=20)
    client = world.client("city_admin")

    def grow() -> None:
        for _ in range(3):
            t = f.title(f.collective(world.body))
            f.title(f.collective(world.other_body))
            _nominate(world, r, t)

    assert_constant_queries(lambda: client.get(_round_url(r)), grow)


def test_the_rounds_list_costs_the_same_queries_at_any_size(world: Any) -> None:
    client = world.client("body_admin")

    def grow() -> None:
        for i in range(3):
            r = _round(world, name=f"批次{i}")
            _nominate(world, r, f.title(f.collective(world.body)))

    assert_constant_queries(lambda: client.get(reverse("awards:nomination_rounds")), grow)
