"""Forms of partnerships. They only shape the input; every rule is the services'."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.core.forms import DateInput, ScopedModelChoiceField, SearchableSelect
from qnwmh.partnerships.models import Rating

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def parse_milestones(text: str) -> list[tuple[str, datetime.date]]:
    """One milestone a line: ``2026-12-31 节点名称`` (date first, then the name)."""
    out: list[tuple[str, datetime.date]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day, _sep, name = line.partition(" ")
        try:
            due = datetime.date.fromisoformat(day.strip())
        except ValueError:
            raise forms.ValidationError(
                _("第 %(n)s 行：请以“YYYY-MM-DD 节点名称”的格式填写。"), params={"n": number}
            ) from None
        if not name.strip():
            raise forms.ValidationError(_("第 %(n)s 行：请填写节点名称。"), params={"n": number})
        out.append((name.strip(), due))
    return out


class JointForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=100)
    goal = forms.CharField(label=_("联创目标"), max_length=3000, widget=TEXTAREA)
    partners: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("联创集体（青年文明号集体，至少 2 个）"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    milestones = forms.CharField(
        label=_("节点（每行一个：YYYY-MM-DD 节点名称）"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-12-31 联合开展岗位练兵"}),
    )

    def __init__(self, partners: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partners"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = partners

    def clean_milestones(self) -> list[tuple[str, datetime.date]]:
        return parse_milestones(self.cleaned_data["milestones"])


class PairForm(forms.Form):
    mentor = ScopedModelChoiceField(
        label=_("结对导师集体（青年文明号集体）"), queryset=None, widget=SearchableSelect
    )
    mentee = ScopedModelChoiceField(
        label=_("结对创建集体（本周期已报备）"), queryset=None, widget=SearchableSelect
    )
    plan = forms.CharField(label=_("约定活动"), max_length=3000, widget=TEXTAREA)

    def __init__(self, mentors: Any, mentees: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, qs in (("mentor", mentors), ("mentee", mentees)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MilestoneForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DateInput())
    note = forms.CharField(label=_("完成情况"), max_length=3000, widget=TEXTAREA)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("联创成效"), max_length=5000, widget=TEXTAREA)


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=100)
    occurred_on = forms.DateField(label=_("活动日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    participants = forms.IntegerField(
        label=_("参与人数"), min_value=0, max_value=100000, required=False
    )
    description = forms.CharField(label=_("活动情况"), max_length=3000, widget=TEXTAREA)


class CloseForm(forms.Form):
    rating = forms.ChoiceField(label=_("评价结论"), choices=Rating.choices)
    review = forms.CharField(label=_("结对总结评价"), max_length=5000, widget=TEXTAREA)
