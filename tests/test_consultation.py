"""Consultations (征求意见): the seed text splits on its own headings; the roster ends with a
recorded status for every body and the summary's counts match the comments; late comments
are kept and marked; dispositions need a reason and reach their author; publishing needs every
comment disposed; uploads are checked by content."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from qnwmh.access.models import RoleAssignment
from qnwmh.consultation import services
from qnwmh.consultation.drafts import read_upload, split_sections
from qnwmh.consultation.models import Comment, Consultation, Respondent, RespondentStatus, Status
from qnwmh.consultation.selectors import summary
from qnwmh.core.errors import DomainError
from qnwmh.notices.models import Notice
from qnwmh.orgs.models import Organisation
from tests import factories as f
from tests import factories_consultation as fc

pytestmark = pytest.mark.django_db


def test_the_seed_text_splits_on_its_real_headings() -> None:
    sections = split_sections(fc.seed_text())
    headings = [(s.level, s.number + s.heading) for s in sections]
    assert sections[0].level == 0 and "征求" in sections[0].body
    assert (1, "一、指导思想") in headings
    # The seed's own numbering slip ("3、 主要任务") is still a level-1 heading.
    assert (1, "3、主要任务") in headings
    assert (2, "（四）深入总结，努力提高。") in headings
    assert len([s for s in sections if s.level == 1]) == 5
    assert len([s for s in sections if s.level == 2]) == 11
    assert "[bookmark" not in "".join(s.body for s in sections)


def test_text_without_headings_is_refused() -> None:
    with pytest.raises(DomainError, match="没有找到"):
        split_sections("只有一段话，没有标题。")


def _docx(paragraphs: list[str]) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


def test_uploads_are_read_by_content() -> None:
    text = read_upload(io.BytesIO(_docx(["前言", "一、总则", "正文"])), "x.txt")
    assert [s.number for s in split_sections(text)] == ["", "一、"]
    assert "一、总则" in read_upload(io.BytesIO("一、总则\n正文".encode("gb18030")), "a.docx")
    with pytest.raises(DomainError, match="Word"):
        read_upload(io.BytesIO(b"PK\x03\x04not a zip"), "a.docx")
    with pytest.raises(DomainError, match="纯文本"):
        read_upload(io.BytesIO(b"\x89PNG\r\n\x00\x00"), "a.txt")


def _roster(world: Any, n: int) -> list[Organisation]:
    extra = [f.body(f.town()) for _ in range(n)]
    return [world.body, world.other_body, *extra]


def test_consultation_on_the_seed_text_every_body_ends_recorded_and_counts_match(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    city = world.actor("city_admin")
    c = fc.draft(
        world, text=fc.seed_text(), title="关于进一步深化中山市青年文明号创建活动的实施意见"
    )
    sections = list(c.sections.order_by("position"))
    assert len(sections) == 17
    roster = _roster(world, 3)
    admins = {o.pk: f.user(role="body_admin", organisation=o) for o in roster[2:]}
    admins[world.body.pk] = world.users["body_admin"]
    admins[world.other_body.pk] = world.users["outsider"]
    with django_capture_on_commit_callbacks(execute=True):
        services.open_consultation(city, consultation=c, bodies=roster)
    assert Notice.objects.filter(code="consultation.opened").count() == len(roster)

    rows = {r.organisation_id: r for r in c.respondents.all()}
    a = lambda o: f.actor(admins[o.pk])  # noqa: E731
    # Two bodies comment (one on two sections), one says 无意见, one only opens, one never does.
    services.reply(
        a(roster[0]),
        respondent=rows[roster[0].pk],
        comments={sections[1].pk: "建议增加对非公企业的指导。", sections[5].pk: "名额比例请明确。"},
    )
    services.reply(
        a(roster[1]), respondent=rows[roster[1].pk], comments={sections[5].pk: "同意。再补充一点。"}
    )
    services.no_comment(a(roster[2]), respondent=rows[roster[2].pk])
    services.mark_opened(a(roster[3]), respondent=rows[roster[3].pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind(city, consultation=c) == 2
    assert set(
        Notice.objects.filter(code="consultation.reminder").values_list("recipient_id", flat=True)
    ) == {admins[roster[3].pk].pk, admins[roster[4].pk].pk}

    s = summary(c)
    statuses = {r.organisation_id: r.status for r in Respondent.objects.filter(consultation=c)}
    assert set(statuses) == {o.pk for o in roster}
    assert all(v in RespondentStatus.values for v in statuses.values())
    assert s.status_counts == {"not_opened": 1, "opened": 1, "commented": 2, "no_comment": 1}
    assert sum(s.status_counts.values()) == len(roster)
    assert s.comment_count == Comment.objects.filter(consultation=c).count() == 3
    by_section = {x.section.pk: x.count for x in s.sections}
    assert by_section[sections[1].pk] == 1 and by_section[sections[5].pk] == 2
    assert sum(by_section.values()) == s.comment_count

    # The summary page, its Excel and its PDF say the same numbers.
    client = world.client("city_admin")
    page = client.get(reverse("consultation:summary", args=[c.code]))
    assert page.status_code == 200 and "共 3 条意见" in page.content.decode()
    xlsx = client.get(reverse("consultation:summary_xlsx", args=[c.code]))
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert wb.sheetnames == ["章节汇总", "意见", "反馈情况"]
    assert sum(r[1] for r in wb["章节汇总"].iter_rows(min_row=2, values_only=True)) == 3
    assert wb["意见"].max_row == 1 + 3
    assert wb["反馈情况"].max_row == 1 + len(roster)
    pdf = client.get(reverse("consultation:summary_pdf", args=[c.code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_opening_the_draft_as_a_body_admin_marks_it_opened(world: Any) -> None:
    c = fc.opened(world)
    r = c.respondents.get(organisation=world.body)
    assert r.status == RespondentStatus.NOT_OPENED
    assert (
        world.client("body_admin").get(reverse("consultation:detail", args=[c.code])).status_code
        == 200
    )
    r.refresh_from_db()
    assert r.status == RespondentStatus.OPENED and r.opened_at
    # The city reading it changes no body's status.
    world.client("city_admin").get(reverse("consultation:detail", args=[c.code]))
    assert c.respondents.get(organisation=world.other_body).status == RespondentStatus.NOT_OPENED


def _sub_body(world: Any, name: str = "下级团委") -> Organisation:
    return f._tree(
        Organisation(
            name=name,
            short_name=name,
            kind=Organisation.Kind.BODY,
            body_kind=Organisation.BodyKind.INDUSTRY,  # a town has one territorial body
            parent=world.body,
            sector=f.sector(),
        )
    )


def test_a_parent_bodys_admin_opens_and_answers_for_its_own_body_only(world: Any) -> None:
    """The body admin's grant covers a sub-body consulted on its own: reading the draft marks
    only the body's own row opened, and the sub-body's row is its own admins' to answer."""
    from tests.api.helpers import client_for

    sub = _sub_body(world)
    c = services.open_consultation(
        world.actor("city_admin"), consultation=fc.draft(world), bodies=[world.body, sub]
    )
    own = c.respondents.get(organisation=world.body)
    theirs = c.respondents.get(organisation=sub)
    client = world.client("body_admin")
    page = client.get(reverse("consultation:detail", args=[c.code]))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="my-reply"') == 1
    api = client_for(world, "body_admin")
    path = f"/consultation/consultations/{c.code}"
    assert [m["body_code"] for m in api.get(path).json()["mine"]] == [world.body.code]
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert own.status == RespondentStatus.OPENED
    assert theirs.status == RespondentStatus.NOT_OPENED and theirs.opened_at is None
    assert client.get(reverse("consultation:reply", args=[c.code, sub.code])).status_code == 403
    no_comment = reverse("consultation:no_comment", args=[c.code, sub.code])
    assert client.post(no_comment).status_code == 403
    assert api.post(f"{path}/replies/{sub.code}", {"rest_no_comment": True}).status_code == 403
    from qnwmh.consultation.home import tasks as app_tasks
    from qnwmh.core.home import Task, gather

    def tasks(actor: Any) -> list[Task]:
        return gather(app_tasks(actor))

    assert [t.count for t in tasks(world.actor("body_admin"))] == [1]
    theirs.refresh_from_db()
    assert theirs.status == RespondentStatus.NOT_OPENED
    # The sub-body's own admin answers for it.
    sub_admin = f.actor(f.user("sub_admin", f.Role.BODY_ADMIN, organisation=sub))
    services.no_comment(sub_admin, respondent=theirs)
    theirs.refresh_from_db()
    assert theirs.status == RespondentStatus.NO_COMMENT


def test_a_comment_after_the_deadline_is_kept_and_marked_late(world: Any) -> None:
    c = fc.opened(world, days=1)
    section = c.sections.order_by("position").last()
    r = c.respondents.get(organisation=world.body)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        made = services.reply(
            world.actor("body_admin"), respondent=r, comments={section.pk: "迟到的意见"}
        )
    assert made[0].late and Comment.objects.get(pk=made[0].pk).late
    r.refresh_from_db()
    assert r.status == RespondentStatus.COMMENTED and r.replied_late
    assert summary(c).sections[-1].late == 1


def test_after_closing_no_comment_is_taken_and_nothing_changes(world: Any) -> None:
    c = fc.opened(world)
    services.close(world.actor("city_admin"), consultation=c)
    r = c.respondents.get(organisation=world.body)
    section = c.sections.first()
    with pytest.raises(DomainError, match="不再接受意见"):
        services.reply(world.actor("body_admin"), respondent=r, comments={section.pk: "x"})
    with pytest.raises(DomainError, match="不再接受意见"):
        services.no_comment(world.actor("body_admin"), respondent=r)
    r.refresh_from_db()
    assert r.status == RespondentStatus.NOT_OPENED and not Comment.objects.exists()


def test_an_empty_reply_is_refused_and_commented_bodies_cannot_say_no_comment(world: Any) -> None:
    c = fc.opened(world)
    r = c.respondents.get(organisation=world.body)
    actor = world.actor("body_admin")
    with pytest.raises(DomainError, match="至少填写一条意见"):
        services.reply(actor, respondent=r, comments={s.pk: "  " for s in c.sections.all()})
    services.reply(actor, respondent=r, comments={c.sections.first().pk: "意见"})
    with pytest.raises(DomainError, match="不能再回复无意见"):
        services.no_comment(actor, respondent=r)
    assert Respondent.objects.get(pk=r.pk).status == RespondentStatus.COMMENTED


def test_a_body_cannot_answer_for_another(world: Any) -> None:
    c = fc.opened(world)
    r = c.respondents.get(organisation=world.other_body)
    client = world.client("body_admin")
    url = reverse("consultation:reply", args=[c.code, world.other_body.code])
    assert client.get(url).status_code == 404
    assert Respondent.objects.get(pk=r.pk).status == RespondentStatus.NOT_OPENED


def test_a_disposition_needs_a_reason_and_reaches_its_author(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = fc.opened(world)
    r = c.respondents.get(organisation=world.body)
    [comment] = services.reply(
        world.actor("body_admin"), respondent=r, comments={c.sections.first().pk: "请补充"}
    )
    city = world.actor("city_admin")
    client = world.client("city_admin")
    url = reverse("consultation:dispose", args=[c.code, comment.pk])
    response = client.post(url, {"disposition": "adopted", "reason": "  "}, follow=True)
    assert "请填写处理理由" in response.content.decode()
    comment.refresh_from_db()
    assert comment.disposition == "" and comment.disposed_at is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispose(city, comment=comment, disposition="partly", reason="已在第二条中体现")
    notice = Notice.objects.get(code="consultation.disposed")
    assert notice.recipient == world.users["body_admin"]
    assert "部分采纳" in notice.text and "已在第二条中体现" in notice.text


def test_publishing_needs_every_comment_disposed_and_shows_bodies_not_people(world: Any) -> None:
    c = fc.opened(world, allow_public=True)
    r = c.respondents.get(organisation=world.body)
    section = c.sections.order_by("position")[1]
    [comment] = services.reply(
        world.actor("body_admin"), respondent=r, comments={section.pk: "意见甲"}
    )
    anon = f.actor(None)
    public = services.public_comment(
        anon,
        consultation=c,
        section=section,
        text="公众意见乙",
        name="王小明",
        contact="13812345678",
    )
    city = world.actor("city_admin")
    services.close(city, consultation=c)
    with pytest.raises(DomainError, match="未处理"):
        services.publish(city, consultation=c, final_text="定稿")
    assert c.__class__.objects.get(pk=c.pk).status == Status.CLOSED
    services.dispose(city, comment=comment, disposition="adopted", reason="采纳")
    services.dispose(city, comment=public, disposition="not_adopted", reason="与上位文件不符")
    services.publish(city, consultation=c, final_text="定稿全文")
    page = world.client("anonymous").get(reverse("consultation_public:detail", args=[c.code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "定稿全文" in html and world.body.name in html and "与上位文件不符" in html
    assert "王小明" not in html and "13812345678" not in html
    assert world.users["body_admin"].username not in html
    # The drafting team sees the contact masked only.
    summary_html = (
        world.client("city_admin")
        .get(reverse("consultation:summary", args=[c.code]))
        .content.decode()
    )
    assert "138****5678" in summary_html and "13812345678" not in summary_html


def test_the_reply_form_comments_on_two_sections_and_no_comment_on_the_rest(world: Any) -> None:
    c = fc.opened(world)
    sections = list(c.sections.order_by("position"))
    client = world.client("body_admin")
    url = reverse("consultation:reply", args=[c.code, world.body.code])
    assert client.get(url).status_code == 200
    data = {
        f"s{sections[1].pk}": "第一条意见",
        f"s{sections[3].pk}": "第二条意见",
        "rest_no_comment": "on",
    }
    assert client.post(url, data).status_code == 302
    assert list(
        Comment.objects.values_list("section_id", flat=True).order_by("section__position")
    ) == [
        sections[1].pk,
        sections[3].pk,
    ]
    assert c.respondents.get(organisation=world.body).status == RespondentStatus.COMMENTED


def test_the_daily_reminder_reminds_silent_bodies_once_a_day(world: Any) -> None:
    from django.core.management import call_command

    soon = fc.opened(world, days=2)
    later = fc.opened(world, days=30)
    services.no_comment(
        world.actor("body_admin"), respondent=soon.respondents.get(organisation=world.body)
    )
    out = io.StringIO()
    call_command("remind_consultations", stdout=out)
    assert "reminded 1 bodies" in out.getvalue()
    assert soon.respondents.get(organisation=world.other_body).reminders == 1
    assert not later.respondents.filter(reminders__gt=0).exists()
    call_command("remind_consultations", stdout=out)
    assert soon.respondents.get(organisation=world.other_body).reminders == 1


def test_the_api_reads_replies_and_summarises(world: Any) -> None:
    from tests.api.helpers import client_for

    c = fc.opened(world)
    path = f"/consultation/consultations/{c.code}"
    body = client_for(world, "body_admin")
    read = body.get(path)
    assert read.status_code == 200 and len(read.json()["sections"]) == c.sections.count()
    assert read.json()["mine"][0]["status"] == "opened"
    bad = body.post(
        f"{path}/replies/{world.body.code}", {"comments": [{"section": 99, "text": "x"}]}
    )
    assert bad.status_code == 400 and "第 99 节" in bad.json()["detail"]
    ok = body.post(
        f"{path}/replies/{world.body.code}",
        {
            "comments": [{"section": 2, "text": "甲"}, {"section": 4, "text": "乙"}],
            "rest_no_comment": True,
        },
    )
    assert ok.status_code == 200 and ok.json()["mine"][0]["status"] == "commented"
    outsider = client_for(world, "outsider")
    assert (
        outsider.post(f"{path}/replies/{world.body.code}", {"rest_no_comment": True}).status_code
        == 404
    )
    assert (
        outsider.post(
            f"{path}/replies/{world.other_body.code}", {"rest_no_comment": True}
        ).status_code
        == 200
    )
    city = client_for(world, "city_admin")
    report = city.get(f"{path}/summary").json()
    assert report["statuses"] == {"not_opened": 0, "opened": 0, "commented": 1, "no_comment": 1}
    assert report["comments"] == 2 == sum(s["comments"] for s in report["sections"])
    comment_id = (
        report["roster"][0]["comments"][0]["id"]
        if report["roster"][0]["comments"]
        else report["roster"][1]["comments"][0]["id"]
    )
    refused = city.post(f"{path}/comments/{comment_id}/disposition", {"disposition": "adopted"})
    assert refused.status_code == 400 and "理由" in refused.json()["detail"]
    done = city.post(
        f"{path}/comments/{comment_id}/disposition", {"disposition": "adopted", "reason": "采纳"}
    )
    assert done.status_code == 200 and done.json()["disposition"] == "adopted"


def test_the_list_summary_and_detail_pages_read_in_constant_queries(world: Any) -> None:
    from tests.querycount import assert_constant_queries

    c = fc.opened(world)
    client = world.client("city_admin")
    body = world.actor("body_admin")
    rows = list(c.sections.order_by("position"))

    def grow() -> None:
        fc.opened(world)
        other = fc.opened(world)
        services.reply(
            body,
            respondent=other.respondents.get(organisation=world.body),
            comments={s.pk: "意见" for s in other.sections.all()[:2]},
        )
        # More comments on the measured consultation too.
        Comment.objects.bulk_create(
            Comment(consultation=c, section=s, text="意见", respondent=c.respondents.first())
            for s in rows
        )

    assert_constant_queries(lambda: client.get(reverse("consultation:list")), grow)
    assert_constant_queries(
        lambda: client.get(reverse("consultation:summary", args=[c.code])), grow
    )
    assert_constant_queries(lambda: client.get(reverse("consultation:detail", args=[c.code])), grow)

    # A body admin answering for several bodies: its rows' comments are read at once.
    body_user = world.users["body_admin"]
    body_client = world.client("body_admin")

    def more_rows() -> None:
        b = _sub_body(world, f"下级团委{Respondent.objects.count()}")
        f.user(role=f.Role.BODY_ADMIN, organisation=b)  # someone else's grant changes nothing
        RoleAssignment.objects.create(user=body_user, role=f.Role.BODY_ADMIN, organisation=b)
        r = Respondent.objects.create(
            consultation=c, organisation=b, status=RespondentStatus.OPENED, opened_at=timezone.now()
        )
        Comment.objects.bulk_create(
            Comment(consultation=c, section=s, text="意见", respondent=r) for s in rows[:2]
        )

    page = lambda: body_client.get(reverse("consultation:detail", args=[c.code]))  # noqa: E731
    assert_constant_queries(page, more_rows)
    assert page().content.decode().count('data-testid="my-reply"') == 4


def test_the_city_chooses_the_roster_and_extends_the_deadline(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = fc.draft(world)
    client = world.client("city_admin")
    page = client.get(reverse("consultation:open", args=[c.code]))
    assert page.status_code == 200 and page.content.decode().count('name="bodies"') == 2
    empty = client.post(reverse("consultation:open", args=[c.code]), {})
    assert "征求对象名单为空" in empty.content.decode()
    assert Consultation.objects.get(pk=c.pk).status == Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("consultation:open", args=[c.code]), {"bodies": [world.other_body.pk]})
    assert list(c.respondents.values_list("organisation_id", flat=True)) == [world.other_body.pk]
    assert Notice.objects.filter(
        code="consultation.opened", recipient=world.users["outsider"]
    ).exists()
    assert not Notice.objects.filter(recipient=world.users["body_admin"]).exists()
    later = timezone.localtime(c.deadline + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    assert (
        client.post(
            reverse("consultation:edit", args=[c.code]), {"title": c.title, "deadline": later}
        ).status_code
        == 302
    )
    past = client.post(
        reverse("consultation:edit", args=[c.code]),
        {"title": c.title, "deadline": "2000-01-01T00:00"},
    )
    assert "须晚于现在" in past.content.decode()
    assert Consultation.objects.get(pk=c.pk).deadline > c.deadline


def test_the_city_runs_a_consultation_through_the_api(world: Any) -> None:
    from tests.api.helpers import client_for

    city = client_for(world, "city_admin")
    made = city.post(
        "/consultation/consultations",
        {"title": "试行意见", "text": fc.SHORT_TEXT, "deadline": "2099-01-01T12:00:00"},
    )
    assert made.status_code == 201 and len(made.json()["sections"]) == 6
    path = f"/consultation/consultations/{made.json()['code']}"
    unknown = city.post(f"{path}/open", {"bodies": ["NOSUCHBODY"]})
    assert unknown.status_code == 400
    assert city.post(f"{path}/open", {"bodies": [world.body.code]}).json()["status"] == "open"
    assert city.post(f"{path}/remind").json() == {"reminded": 1}
    body = client_for(world, "body_admin")
    body.post(f"{path}/replies/{world.body.code}", {"comments": [{"section": 3, "text": "意见"}]})
    assert city.post(f"{path}/close").json()["status"] == "closed"
    refused = city.post(f"{path}/publish", {"final_text": "定稿"})
    assert refused.status_code == 400 and "未处理" in refused.json()["detail"]
    comment_id = city.get(f"{path}/summary").json()["roster"][0]["comments"][0]["id"]
    city.post(
        f"{path}/comments/{comment_id}/disposition",
        {"disposition": "not_adopted", "reason": "不宜"},
    )
    assert city.post(f"{path}/publish", {"final_text": "定稿"}).json()["status"] == "published"


def test_home_asks_bodies_to_reply_and_the_city_to_dispose(world: Any) -> None:
    from qnwmh.consultation.home import tasks as app_tasks
    from qnwmh.core.home import Task, gather

    def tasks(actor: Any) -> list[Task]:
        return gather(app_tasks(actor))

    c = fc.opened(world)
    [body_task] = tasks(world.actor("body_admin"))
    assert body_task.count == 1
    services.reply(
        world.actor("body_admin"),
        respondent=c.respondents.get(organisation=world.body),
        comments={c.sections.first().pk: "意见"},
    )
    assert tasks(world.actor("body_admin")) == []
    [city_task] = tasks(world.actor("city_admin"))
    assert city_task.count == 1
    assert tasks(world.actor("manager")) == []


def test_an_open_consultations_deadline_only_moves_later(world: Any) -> None:
    c = fc.opened(world, days=7)
    city = world.actor("city_admin")
    earlier = c.deadline - datetime.timedelta(days=2)
    with pytest.raises(DomainError, match="只能延后") as refused:
        services.update(city, consultation=c, deadline=earlier)
    assert refused.value.field == "deadline"
    assert Consultation.objects.get(pk=c.pk).deadline == c.deadline
    page = world.client("city_admin").post(
        reverse("consultation:edit", args=[c.code]),
        {"title": c.title, "deadline": timezone.localtime(earlier).strftime("%Y-%m-%dT%H:%M")},
    )
    assert page.status_code == 200 and "只能延后" in page.content.decode()
    # Saving the form as shown (the deadline to the minute) is not moving it earlier.
    same = timezone.localtime(c.deadline).strftime("%Y-%m-%dT%H:%M")
    saved = world.client("city_admin").post(
        reverse("consultation:edit", args=[c.code]), {"title": "新标题", "deadline": same}
    )
    assert saved.status_code == 302
    later = c.deadline + datetime.timedelta(days=2)
    assert services.update(city, consultation=c, deadline=later).deadline == later
    # A draft's deadline may still move either way.
    d = fc.draft(world, days=7)
    sooner = d.deadline - datetime.timedelta(days=2)
    assert services.update(city, consultation=d, deadline=sooner).deadline == sooner
