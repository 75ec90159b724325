"""Forms of the re-review. The services check the rules; these check the shapes. The score
forms have one number field per item of the reader's source (``score_<item id>``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from qnwmh.core.forms import DateInput
from qnwmh.oversight.models import Outcome, Standard, StandardItem


class OpenForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    standard = forms.ModelChoiceField(
        label=_("考核标准"), queryset=Standard.objects.none(), empty_label=None
    )
    self_report_due = forms.DateField(label=_("自评截止日期"), widget=DateInput())
    assessment_due = forms.DateField(label=_("团委评价截止日期"), widget=DateInput())
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = Standard.objects.order_by("-year", "-version")  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)


class ScoresForm(forms.Form):
    """A score (and a note) per item of one source, bounded by the item's points."""

    def __init__(self, *args: Any, items: list[StandardItem], stored: dict[str, Any], **kw: Any):
        super().__init__(*args, **kw)
        self.items = items
        for i in items:
            entry = stored.get(str(i.id)) or {}
            self.fields[f"score_{i.id}"] = forms.DecimalField(
                label=f"{i.position}. {i.label}（{i.points}）",
                min_value=Decimal(0),
                max_value=Decimal(i.points),
                decimal_places=2,
                initial=entry.get("points"),
                help_text=escape(i.guidance),  # stored text: the form template writes help as HTML
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )
            self.fields[f"note_{i.id}"] = forms.CharField(
                label=_("说明"), required=False, max_length=500, initial=entry.get("note", "")
            )

    def scores(self) -> dict[int, Decimal]:
        return {i.id: self.cleaned_data[f"score_{i.id}"] for i in self.items}

    def notes(self) -> dict[int, str]:
        return {i.id: self.cleaned_data.get(f"note_{i.id}", "") for i in self.items}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; the service checks each (type by content, size)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(d, initial) for d in files]


class SelfReportForm(ScoresForm):
    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["evidence"] = MultipleFileField(
            label=_("佐证材料（照片或文件）"), required=False
        )


OUTCOME_CHOICES = [("", _("按分数线建议")), *Outcome.choices]


class AssessForm(ScoresForm):
    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["proposed_outcome"] = forms.ChoiceField(
            label=_("建议结论"), choices=OUTCOME_CHOICES, required=False
        )
        self.fields["note"] = forms.CharField(
            label=_("评价意见"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("建议结论与分数线不同时必填。"),
        )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("复核结论"), choices=Outcome.choices)
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("与团委建议不同或直接确认时必填。"),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("结束说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
