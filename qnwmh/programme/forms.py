from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.core.forms import DateInput
from qnwmh.programme.models import Dimension, ProgrammeRules, default_rubric


def _points_field(dimension: Dimension) -> str:
    return f"rubric_{dimension.value}_points"


def _weight_field(dimension: Dimension) -> str:
    return f"rubric_{dimension.value}_weight"


class RulesForm(forms.ModelForm):
    """The rules; the rubric (a list per dimension) is edited as two numbers per dimension."""

    class Meta:
        model = ProgrammeRules
        fields = [n for n in ProgrammeRules.editable_fields() if n != "rubric"]
        widgets = {"age_reference_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = {row["dimension"]: row for row in (self.instance.rubric or default_rubric())}
        for dim in Dimension:
            row = rows.get(dim.value, {"max_points": 100, "weight": 1})
            self.fields[_points_field(dim)] = forms.IntegerField(
                label=_("%(dimension)s满分") % {"dimension": dim.label},
                min_value=1,
                max_value=1000,
            )
            self.fields[_weight_field(dim)] = forms.DecimalField(
                label=_("%(dimension)s权重") % {"dimension": dim.label},
                min_value=0,
                max_value=100,
                decimal_places=2,
            )
            # In ``initial`` (not the field's) so the form reads like the model's own fields.
            self.initial.setdefault(_points_field(dim), row["max_points"])
            self.initial.setdefault(_weight_field(dim), row["weight"])

    def rubric(self) -> list[dict[str, Any]]:
        """The rubric as the rules store it (after ``is_valid``)."""
        out = []
        for dim in Dimension:
            weight = self.cleaned_data[_weight_field(dim)]
            out.append(
                {
                    "dimension": dim.value,
                    "max_points": self.cleaned_data[_points_field(dim)],
                    "weight": int(weight) if weight == int(weight) else float(weight),
                }
            )
        return out

    def changed_values(self) -> dict[str, Any]:
        """The rules' fields that changed, the rubric as one value."""
        model_fields = set(self._meta.fields or ())
        values = {n: self.cleaned_data[n] for n in self.changed_data if n in model_fields}
        if any(n.startswith("rubric_") for n in self.changed_data):
            values["rubric"] = self.rubric()
        return values

    def _post_clean(self) -> None:
        pass
