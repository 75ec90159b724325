"""The drafting team's summary as files: an Excel workbook (sections, comments, roster) and a
PDF. A consultation has a few hundred comments at most, so both are built in the request."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.audit.services import log_action
from qnwmh.consultation.models import Comment
from qnwmh.consultation.selectors import Summary
from qnwmh.core.actor import Actor
from qnwmh.core.labels import choice_label
from qnwmh.core.masking import mask_name, mask_phone
from qnwmh.core.pdf import html_to_pdf


def who(comment: Comment) -> str:
    """The body that commented, or a masked member of the public."""
    if comment.respondent_id:
        return comment.respondent.organisation.name  # type: ignore[union-attr]
    name = mask_name(comment.public_name) if comment.public_name else str(_("匿名"))
    return str(_("公众：%(name)s")) % {"name": name}


def masked_contact(comment: Comment) -> str:
    contact = comment.public_contact
    if not contact:
        return ""
    if "@" in contact:
        user, _at, domain = contact.partition("@")
        return f"{user[:1]}***@{domain}"
    return mask_phone(contact)


def summary_xlsx(actor: Actor, s: Summary) -> FileResponse:
    c = s.consultation
    section_header = [
        str(h)
        for h in (
            _("章节"),
            _("意见数"),
            _("逾期"),
            _("采纳"),
            _("部分采纳"),
            _("不采纳"),
            _("未处理"),
        )
    ]
    section_rows = [
        [str(x.section), x.count, x.late, x.adopted, x.partly, x.not_adopted, x.pending]
        for x in s.sections
    ]

    def comment_rows() -> Iterable[list[Any]]:
        for x in s.sections:
            for cm in x.comments:
                yield [
                    str(x.section),
                    who(cm),
                    masked_contact(cm),
                    cm.text,
                    str(_("是")) if cm.late else "",
                    timezone.localtime(cm.created_at).strftime("%Y-%m-%d %H:%M"),
                    choice_label(cm, "disposition") if cm.disposition else "",
                    cm.reason,
                ]

    comment_header = [
        str(h)
        for h in (
            _("章节"),
            _("提出单位"),
            _("联系方式"),
            _("意见"),
            _("逾期"),
            _("提出时间"),
            _("处理结果"),
            _("理由"),
        )
    ]
    roster_header = [
        str(h) for h in (_("单位"), _("状态"), _("查看时间"), _("回复时间"), _("逾期"))
    ]

    def when(value: Any) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    roster_rows = [
        [
            r.organisation.name,
            choice_label(r, "status"),
            when(r.opened_at),
            when(r.replied_at),
            str(_("是")) if r.replied_late else "",
        ]
        for r in s.respondents
    ]
    return export_xlsx(
        actor,
        code="consultation.summary.exported",
        filename=f"consultation-{c.code}",
        sheets=[
            (str(_("章节汇总")), section_header, section_rows),
            (str(_("意见")), comment_header, comment_rows()),
            (str(_("反馈情况")), roster_header, roster_rows),
        ],
        filters={"consultation": c.code},
    )


def summary_pdf(actor: Actor, s: Summary) -> HttpResponse:
    html = render_to_string(
        "consultation/summary_pdf.html",
        {
            "s": s,
            "c": s.consultation,
            "counts": status_rows(s),
            "now": timezone.localtime(),
            "rows": [(x, [(cm, who(cm)) for cm in x.comments]) for x in s.sections],
        },
    )
    data = html_to_pdf(html)
    log_action(
        actor,
        None,
        "consultation.summary.exported",
        data={"format": "pdf", "consultation": s.consultation.code, "rows": s.comment_count},
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="consultation-{s.consultation.code}.pdf"'
    )
    response["Cache-Control"] = "no-store, private"
    return response


def status_rows(s: Summary) -> list[tuple[str, str, int]]:
    from qnwmh.consultation.models import RespondentStatus

    return [(v, str(label), s.status_counts[v]) for v, label in RespondentStatus.choices]
