"""Forms of nominations upward: the provincial round, nominating a title, withdrawing, and
recording the province's answer. The services check the rules; these check the shapes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.awards.models import NominationRound
from qnwmh.awards.services.nomination import ROUND_FIELDS
from qnwmh.core.forms import DateInput


class RoundForm(forms.ModelForm):
    class Meta:
        model = NominationRound
        fields = list(ROUND_FIELDS)
        widgets = {"deadline": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quota"].min_value = 1  # type: ignore[attr-defined]
        self.fields["quota"].widget.attrs["min"] = 1

    def _post_clean(self) -> None:
        pass  # the service checks and saves


class NominateForm(forms.Form):
    position = forms.IntegerField(
        label=_("推报排序"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("留空则排在第一个空位。"),
    )
    recommendation = forms.CharField(
        label=_("推荐意见"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=300)


OUTCOMES = [("granted", _("获省级称号")), ("not_granted", _("未获省级称号"))]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("推报结果"), choices=OUTCOMES, widget=forms.RadioSelect)
    outcome_on = forms.DateField(label=_("结果日期"), widget=DateInput())
    session_no = forms.IntegerField(
        label=_("省级称号届次"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("留空则与市级称号届次相同。"),
    )
    note = forms.CharField(
        label=_("结果说明"),
        max_length=300,
        required=False,
        help_text=_("未获省级称号时必填原因；获评时可填写文号。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome_on"].initial = timezone.localdate()
