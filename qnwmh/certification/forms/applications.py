"""Forms of the round and applications. The pickers of log entries and evidence are read
from the POST as codes and resolved by the service among the collective's own rows, so a
tampered code answers 404 there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.certification.models import CertificationRound
from qnwmh.certification.services.round import WINDOW_FIELDS
from qnwmh.core.forms import DateInput, ScopedModelChoiceField
from qnwmh.programme.models import Dimension


class RoundForm(forms.ModelForm):
    class Meta:
        model = CertificationRound
        fields = list(WINDOW_FIELDS)
        widgets = {name: DateInput() for name in WINDOW_FIELDS}

    def _post_clean(self) -> None:
        pass  # the service checks and saves


class ApplicationCreateForm(forms.Form):
    collective = ScopedModelChoiceField(label=_("集体"), queryset=None)

    def __init__(self, collectives: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collective"].queryset = collectives  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    """The statement and one text per dimension (社会评价 is the attached figures, with an
    optional comment)."""

    statement = forms.CharField(
        label=_("事迹材料"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Dimension.choices:
            self.fields[f"text_{value}"] = forms.CharField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                max_length=5000,
            )

    def assessments(self, post: Any) -> dict[str, dict[str, Any]]:
        return {
            value: {
                "text": self.cleaned_data[f"text_{value}"],
                "entries": post.getlist(f"entries_{value}"),
                "files": post.getlist(f"files_{value}"),
            }
            for value in Dimension.values
        }


class RecommendForm(forms.Form):
    recommendation = forms.CharField(
        label=_("推荐意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    rank = forms.IntegerField(label=_("推荐排序"), min_value=1, max_value=10000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500)
