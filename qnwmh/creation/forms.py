from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.core.forms import DateInput
from qnwmh.creation.models import ChannelKind, DutyKind, EntryKind, PlanVersion
from qnwmh.evidence.forms import MultipleFileField


class PlanForm(forms.ModelForm):
    class Meta:
        model = PlanVersion
        fields = ["goals", "vehicles", "slogan", "pledges", "schedule", "leading_group", "note"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("goals", "vehicles", "pledges", "schedule", "leading_group")
        }

    def _post_clean(self) -> None:
        pass


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=EntryKind.choices)
    title = forms.CharField(label=_("标题"), max_length=100)
    occurred_on = forms.DateField(label=_("日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期（开放周）"), widget=DateInput(), required=False)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    participants = forms.IntegerField(
        label=_("参与人数"), min_value=0, max_value=100000, initial=0, required=False
    )
    description = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    public = forms.BooleanField(label=_("在公众开放周日历上公布"), required=False, initial=True)


class NewEntryForm(EntryForm):
    attachments = MultipleFileField(label=_("照片、视频或 PDF（可多选）"), required=False)


class CorrectionForm(EntryForm):
    reason = forms.CharField(label=_("更正原因"), max_length=200)


class AttachForm(forms.Form):
    attachments = MultipleFileField(label=_("追加佐证（可多选）"))


class DutyForm(forms.Form):
    duty = forms.ModelChoiceField(label=_("职责"), queryset=DutyKind.objects.filter(active=True))
    title = forms.CharField(label=_("名称"), max_length=100)
    occurred_on = forms.DateField(label=_("日期"), widget=DateInput())
    description = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    channel_kind = forms.ChoiceField(
        label=_("渠道类型（联系渠道）"), choices=[("", "—"), *ChannelKind.choices], required=False
    )
    members_count = forms.IntegerField(
        label=_("渠道成员数（联系渠道）"), min_value=1, required=False
    )
    qr_file = forms.FileField(label=_("群二维码图片（联系渠道）"), required=False)
    attachments = MultipleFileField(label=_("佐证文件（可多选）"), required=False)

    def values(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data.get(k)
            for k in ("title", "occurred_on", "description", "channel_kind", "members_count")
        }
