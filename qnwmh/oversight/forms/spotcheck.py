"""Forms of the spot checks: the draw, a visit's plan, its record (a checklist row per item,
photos from the phone's camera) and the public re-draw."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.oversight.models import VisitResult
from qnwmh.oversight.services.spotcheck import CHECKLIST, SEED_PATTERN

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DrawForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    pct = forms.IntegerField(label=_("抽检比例（%）"), min_value=1, max_value=100)
    seed = forms.RegexField(
        label=_("随机种子（留空则自动生成）"),
        regex=SEED_PATTERN,
        required=False,
        max_length=64,
        error_messages={"invalid": _("随机种子须为 1–64 位字母、数字、下划线或连字符。")},
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanForm(forms.Form):
    planned_on = forms.DateField(label=_("计划日期"), widget=DATE)
    covert = forms.BooleanField(label=_("暗访（办结前不告知集体）"), required=False)


class RecordForm(forms.Form):
    """The record, with ``ok_<item>`` (合格/不合格) and ``note_<item>`` per checklist item."""

    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    inspectors = forms.CharField(label=_("检查人员"), max_length=300)
    result = forms.ChoiceField(
        label=_("检查结论"), choices=VisitResult.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("检查结论说明（不合格时必填）"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        for key, label in CHECKLIST:
            self.fields[f"ok_{key}"] = forms.ChoiceField(
                label=label,
                choices=[("1", _("符合")), ("0", _("不符合"))],
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("情况说明"), required=False, max_length=500
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"ok_{key}"], self[f"note_{key}"]) for key, _label in CHECKLIST]

    def head(self) -> list[forms.BoundField]:
        return [self["visited_on"], self["inspectors"]]

    def findings(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {"item": key, "ok": data[f"ok_{key}"] == "1", "note": data.get(f"note_{key}", "")}
            for key, _label in CHECKLIST
        ]

    def initial_from(self, findings: list[dict[str, Any]]) -> None:
        for row in findings:
            self.initial[f"ok_{row['item']}"] = "1" if row.get("ok") else "0"
            self.initial[f"note_{row['item']}"] = row.get("note", "")


class RedrawForm(forms.Form):
    seed = forms.RegexField(
        label=_("随机种子"),
        regex=SEED_PATTERN,
        max_length=64,
        error_messages={"invalid": _("随机种子须为 1–64 位字母、数字、下划线或连字符。")},
    )
