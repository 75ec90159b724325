"""Forms of the ranking part: what-if weights (GET), league support, freeze note, move-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.awards.ranking import Weights
from qnwmh.awards.services.league_support import FIGURES
from qnwmh.programme.models import AreaNormalisation, TieBreak


class WhatIfForm(forms.Form):
    """Other weights, normalisation and tie-break for the what-if view; blank keeps the
    cycle's rule."""

    league_pct = forms.IntegerField(
        label=_("团建工作支持情况所占比例（%）"), min_value=0, max_value=100, required=False
    )
    appraisal_pct = forms.IntegerField(
        label=_("社会评价所占比例（%）"), min_value=0, max_value=100, required=False
    )
    penalty_per_upheld = forms.IntegerField(
        label=_("每件属实投诉扣社会评价分"), min_value=0, max_value=100, required=False
    )
    area_normalisation = forms.ChoiceField(
        label=_("片区成绩可比处理"),
        choices=[("", _("按本周期规则")), *AreaNormalisation.choices],
        required=False,
    )
    tie_break = forms.ChoiceField(
        label=_("同分排序规则"),
        choices=[("", _("按本周期规则")), *TieBreak.choices],
        required=False,
    )

    def __init__(self, data: Any, *, base: Weights) -> None:
        super().__init__(data)
        self.base = base

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        league = data.get("league_pct")
        appraisal = data.get("appraisal_pct")
        league = self.base.league_pct if league is None else league
        appraisal = self.base.appraisal_pct if appraisal is None else appraisal
        if league + appraisal > 100:
            raise forms.ValidationError(_("团建工作与社会评价所占比例之和不能超过 100%。"))
        return data

    def overrides(self) -> dict[str, Any]:
        """The values given, by ``Weights`` field name (blank ones left out)."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class LeagueSupportForm(forms.Form):
    score = forms.DecimalField(
        label=_("团建工作得分"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    reason = forms.CharField(label=_("评分理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in FIGURES.items():
            self.fields[key] = forms.IntegerField(label=label, min_value=0, required=False)

    def figures(self) -> dict[str, int]:
        return {k: self.cleaned_data[k] for k in FIGURES if self.cleaned_data.get(k) is not None}


class FreezeForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class MoveUpForm(forms.Form):
    reason = forms.CharField(label=_("递补理由"), max_length=500)
