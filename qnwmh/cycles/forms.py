from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.core.forms import DateInput, ScopedModelChoiceField
from qnwmh.cycles.models import Cycle, Registration


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = [
            "session_no",
            "registration_year",
            "registration_opens_on",
            "registration_closes_on",
            "creation_ends_on",
            "certification_starts_on",
            "certification_ends_on",
        ]
        widgets = {name: DateInput() for name in fields[2:]}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session_no"].min_value = 1  # type: ignore[attr-defined]
        if self.instance.pk:
            del self.fields["session_no"]
            del self.fields["registration_year"]

    def _post_clean(self) -> None:
        pass


class CycleDatesForm(CycleForm):
    pass


class RegistrationForm(forms.ModelForm):
    collective = ScopedModelChoiceField(label=_("集体"), queryset=None)
    pledge_confirmed = forms.BooleanField(
        label=_("本集体承诺按创建计划开展创建，接受监督"), required=True
    )

    class Meta:
        model = Registration
        fields = [
            "collective",
            "plan_summary",
            "leader_name",
            "leader_phone",
            "leading_group",
            "pledge",
            "special_recommendation",
        ]
        widgets = {
            "plan_summary": forms.Textarea(attrs={"rows": 4}),
            "leading_group": forms.Textarea(attrs={"rows": 3}),
            "pledge": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, collectives: Any, *args: Any, can_recommend: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not can_recommend:
            # Special recommendation is the managing body's or the city's decision.
            del self.fields["special_recommendation"]
        if collectives is None:
            del self.fields["collective"]
        else:
            self.fields["collective"].queryset = collectives  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        pass

    def values(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("collective", "pledge_confirmed")
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, required=False)


class OverrideForm(forms.Form):
    value = forms.IntegerField(label=_("调整后名额"), min_value=0, max_value=100000, required=False)
    reason = forms.CharField(label=_("调整原因"), max_length=300)


class HeadcountForm(forms.Form):
    headcount = forms.IntegerField(label=_("青年人数"), min_value=0, max_value=10_000_000)
