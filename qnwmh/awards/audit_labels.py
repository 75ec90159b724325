"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "awards.entry.removed": _("移出拟认定名单"),
    "awards.entry.moved_up": _("候补递补进入名单"),
    "awards.inspection.recorded": _("记录考察结果"),
    "awards.notice.published": _("发布公示"),
    "awards.objection.filed": _("收到公示异议"),
    "awards.objection.assigned": _("指定异议承办人"),
    "awards.objection.decided": _("异议办结"),
    # ranking
    "awards.shortlist.frozen": _("确定拟认定名单"),
    "awards.league_support.entered": _("填写团建工作支持情况"),
    "awards.league_support.changed": _("修改团建工作支持情况"),
    "awards.ranking.exported": _("导出排名"),
    "awards.nomination_round.created": _("建立推报批次"),
    "awards.nomination_round.updated": _("修改推报批次"),
    "awards.nomination.nominated": _("推报市级称号"),
    "awards.nomination.withdrawn": _("撤回推报"),
    "awards.nomination.granted": _("登记推报结果：获省级称号"),
    "awards.nomination.not_granted": _("登记推报结果：未获省级称号"),
    "awards.nomination.exported": _("导出推报名单"),
    "awards.nomination.dossier_exported": _("下载推报材料包"),
    "awards.entry.decided": _("认定为青年文明号"),
    "awards.decision.made": _("作出认定决定"),
    "awards.decision.printed": _("打印命名名单"),
    "awards.decision.exported": _("导出命名名单"),
    "awards.certificate.issued": _("发放证书"),
    "awards.certificate.printed": _("打印证书"),
    "awards.certificates.printed": _("批量打印证书"),
}
