"""The decision form: document number, date, the audit's note and the entries chosen (the
service checks each entry, so the ids are taken as they come)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.forms import DateInput


class DecideForm(forms.Form):
    document_no = forms.CharField(
        label=_("文号"), max_length=60, help_text=_("例如：中青联〔2026〕12号")
    )
    decided_on = forms.DateField(
        label=_("决定日期"),
        initial=timezone.localdate,
        widget=DateInput(),
    )
    audit_note = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    entries = forms.TypedMultipleChoiceField(
        label=_("认定集体"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, ready: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["entries"].choices = ready  # type: ignore[attr-defined]
        self.fields["entries"].initial = [pk for pk, _label in ready]
