from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives.models import CollectiveStatus
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.actor import Actor
from qnwmh.core.forms import ScopedModelChoiceField
from qnwmh.supervision.models import Category, Channel, Kind

STAFF_CHANNELS = [(c.value, c.label) for c in (Channel.PHONE, Channel.LETTER, Channel.VISIT)]


class PublicComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=Kind.choices, initial=Kind.COMPLAINT, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    text = forms.CharField(
        label=_("内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": _("请描述时间、地点和经过")}),
    )
    filer_name = forms.CharField(label=_("姓名（选填）"), max_length=50, required=False)
    filer_phone = forms.CharField(
        label=_("联系电话（选填）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class StaffComplaintForm(PublicComplaintForm):
    collective = ScopedModelChoiceField(label=_("集体"), queryset=None)
    channel = forms.ChoiceField(label=_("渠道"), choices=STAFF_CHANNELS)
    received_at = forms.DateTimeField(
        label=_("接收时间（留空为现在）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    field_order = [
        "collective",
        "channel",
        "received_at",
        "kind",
        "category",
        "text",
        "filer_name",
        "filer_phone",
    ]

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collective"].queryset = (  # type: ignore[attr-defined]
            collectives_visible_to(actor)
            .filter(status=CollectiveStatus.ACTIVE)
            .only("id", "name", "code")
            if actor.is_staff_of_body
            else collectives_visible_to(actor).none()
        )
        self.fields["kind"].widget = forms.Select(choices=Kind.choices)


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("评分"),
        coerce=int,
        choices=[(i, i) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("评价（选填）"), max_length=300, required=False)


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("名称"), max_length=50)
    is_workday = forms.BooleanField(label=_("调休上班日（周末照常计算为工作日）"), required=False)
