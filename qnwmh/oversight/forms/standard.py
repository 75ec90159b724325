"""Forms of the standard part: a new version, its header and marks, an item, moving an item,
recording a dissolution or merger, the plaque's recovery. The services check the rules; these
check the shapes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.forms import DateInput
from qnwmh.oversight.models import ExitKind, Metric, Source
from qnwmh.oversight.services.exits_plaque import MANUAL_KINDS


class StandardCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(
        label=_("名称"), max_length=100, required=False, help_text=_("留空则按年度自动命名。")
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class NewVersionForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=100, required=False)


class StandardHeaderForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    pass_mark = forms.IntegerField(label=_("合格分"), min_value=0, max_value=1000)
    warning_mark = forms.IntegerField(
        label=_("警告提醒分数线"),
        min_value=0,
        max_value=1000,
        help_text=_("总分低于合格分、不低于此线的，建议警告提醒。"),
    )
    star_down_mark = forms.IntegerField(
        label=_("调整星级分数线"),
        min_value=0,
        max_value=1000,
        help_text=_("低于警告提醒分数线、不低于此线的，建议调整星级；低于此线的，建议撤销。"),
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ItemForm(forms.Form):
    label = forms.CharField(label=_("考核项目"), max_length=200)
    points = forms.IntegerField(
        label=_("分值"),
        min_value=1,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    source = forms.ChoiceField(label=_("评分来源"), choices=Source.choices)
    metric = forms.ChoiceField(
        label=_("计算指标"),
        choices=[("", "—"), *Metric.choices],
        required=False,
        help_text=_("仅“平台计算”的项目选择。"),
    )
    guidance = forms.CharField(
        label=_("评分说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_required = forms.BooleanField(label=_("须提交佐证"), required=False)


class MoveForm(forms.Form):
    to = forms.IntegerField(label=_("移到第几项"), min_value=1, max_value=1000)


class ExitForm(forms.Form):
    title = forms.CharField(
        label=_("称号编号"),
        max_length=12,
        help_text=_("在集体页面的称号记录中可以看到称号编号。"),
    )
    kind = forms.ChoiceField(
        label=_("退出方式"),
        choices=[(k.value, k.label) for k in ExitKind if k in MANUAL_KINDS],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("退出原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("将向社会公开，请勿填写个人信息。"),
    )
    on = forms.DateField(label=_("退出日期"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class PlaqueForm(forms.Form):
    on = forms.DateField(label=_("牌匾收回日期"), widget=DateInput())
    note = forms.CharField(label=_("收回情况"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
