"""Forms of the notice part: the inspection record, the notice with a summary per collective,
the public objection, and the handling of an objection."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.accounts.models import User
from qnwmh.awards.models import InspectionOutcome, ObjectionOutcome, ShortlistEntry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SUMMARY_LENGTH = 300  # the prefilled summary: the statement's opening


class InspectionForm(forms.Form):
    visited_on = forms.DateField(label=_("考察日期"), widget=DATE)
    inspectors = forms.CharField(label=_("考察人员"), max_length=300)
    findings = forms.CharField(
        label=_("考察情况"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
    outcome = forms.ChoiceField(
        label=_("考察结论"), choices=InspectionOutcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("结论理由（未通过时必填，将作为移出原因）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()


class NoticeForm(forms.Form):
    """The notice's text and dates, and for each publishable entry a tick and its summary
    (``pick_<id>``, ``summary_<id>``), prefilled from the application's statement."""

    heading = forms.CharField(label=_("标题"), max_length=200)
    intro = forms.CharField(
        label=_("公示说明"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact = forms.CharField(label=_("受理异议联系方式"), max_length=200)
    opens_on = forms.DateField(label=_("公示开始日期"), widget=DATE)

    def __init__(self, entries: list[ShortlistEntry], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        self.fields["opens_on"].initial = timezone.localdate()
        for entry in entries:
            self.fields[f"pick_{entry.pk}"] = forms.BooleanField(
                label=entry.collective.name, required=False, initial=True
            )
            self.fields[f"summary_{entry.pk}"] = forms.CharField(
                label=_("事迹简介"),
                max_length=2000,
                required=False,
                initial=entry.application.statement[:SUMMARY_LENGTH],
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self) -> list[tuple[ShortlistEntry, Any, Any]]:
        return [(e, self[f"pick_{e.pk}"], self[f"summary_{e.pk}"]) for e in self.entries]

    def summaries(self) -> dict[int, str]:
        data = self.cleaned_data
        return {e.pk: data[f"summary_{e.pk}"] for e in self.entries if data.get(f"pick_{e.pk}")}


class ObjectionForm(forms.Form):
    contact_name = forms.CharField(label=_("姓名"), max_length=50)
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_unit = forms.CharField(
        label=_("工作单位或住址（选填）"), max_length=100, required=False
    )
    text = forms.CharField(
        label=_("异议内容"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("请写明具体事实和依据")}),
    )


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("承办人"), queryset=User.objects.none())

    def __init__(self, handlers: list[User], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["handler"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in handlers]).order_by("id")


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("核查结论"), choices=ObjectionOutcome.choices, widget=forms.RadioSelect
    )
    findings = forms.CharField(
        label=_("核查情况（内部，不公开）"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    public_reason = forms.CharField(
        label=_("公开答复（将在公示页和查询页公开，勿含个人信息）"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
