from __future__ import annotations

from django import forms

from qnwmh.core.forms import DateInput
from qnwmh.programme.models import ProgrammeRules


class RulesForm(forms.ModelForm):
    class Meta:
        model = ProgrammeRules
        fields = ProgrammeRules.editable_fields()
        widgets = {"age_reference_date": DateInput()}

    def _post_clean(self) -> None:
        pass
