from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives.models import Collective, Level, Member
from qnwmh.collectives.services import GOVERNED_FIELDS
from qnwmh.core.actor import Actor
from qnwmh.core.forms import DateInput, ScopedModelChoiceField
from qnwmh.core.permissions import can
from qnwmh.orgs.models import Sector, Town
from qnwmh.orgs.selectors import bodies_visible_to


class CollectiveForm(forms.ModelForm):
    body = ScopedModelChoiceField(label=_("组织管理机构"), queryset=None)
    town = forms.ModelChoiceField(label=_("所在镇区"), queryset=Town.objects.filter(active=True))
    sector = forms.ModelChoiceField(
        label=_("行业系统"), queryset=Sector.objects.filter(active=True), required=False
    )

    class Meta:
        model = Collective
        fields = [
            "name",
            "work_unit",
            "body",
            "town",
            "sector",
            "ownership",
            "address",
            "supervision_phone",
            "supervision_email",
            "pledges",
            "photo",
        ]
        widgets = {"pledges": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies_visible_to(actor)  # type: ignore[attr-defined]
        instance = self.instance
        if instance.pk and not can(actor, "collectives.edit_governed_fields", instance):
            for name in GOVERNED_FIELDS & set(self.fields):
                del self.fields[name]

    def _post_clean(self) -> None:
        # Model validation runs in the service, where the rules and the audit live.
        pass


# Shown in full only to those with ``collectives.view_personal_data`` (see core.masking).
PERSONAL_FIELDS = ("birth_date", "phone")


class MemberForm(forms.ModelForm):
    # Longer than the stored form: the service writes "0760 8888 1234 转 12" as 0760-88881234-12.
    phone = forms.CharField(
        label=_("手机号"),
        max_length=30,
        required=False,
        help_text=_("11 位手机号，或带区号的固定电话（如 0760-88881234）。"),
    )

    class Meta:
        model = Member
        fields = ["name", "birth_date", "nationality", "post", "phone", "is_leader"]
        widgets = {"birth_date": DateInput()}

    def _post_clean(self) -> None:
        pass


class TitleAwardForm(forms.Form):
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices)
    stars = forms.IntegerField(label=_("星级"), min_value=0, max_value=3, initial=1)
    session_no = forms.IntegerField(label=_("届次"), min_value=1, max_value=999)
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    awarded_on = forms.DateField(label=_("授予日期"), widget=DateInput())
    external_id = forms.CharField(label=_("外部系统编号"), max_length=64, required=False)


class TitleEndForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("终止方式"), choices=[("revoked", _("撤销")), ("expired", _("失效"))]
    )
    reason = forms.CharField(label=_("原因"), max_length=200)


class StarsForm(forms.Form):
    stars = forms.IntegerField(label=_("星级"), min_value=0, max_value=3)
    reason = forms.CharField(label=_("原因"), max_length=200)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)
