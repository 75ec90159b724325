"""Forms of scoring: the score sheet (built from the round's rubric), a paper sheet with its
scan, a chair's reopen reason, and a defence session. The rubric's checks live in
``services.rubric`` so the form, the API and the paper entry say the same thing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.certification.models import Panel, ScoreSheet
from qnwmh.certification.services.rubric import Rubric
from qnwmh.certification.services.scoring import ScoreProblems
from qnwmh.core.forms import ScopedModelChoiceField


class ScoreSheetForm(forms.Form):
    """One points field and one comment per criterion: ``<dimension>_points``,
    ``<dimension>_comment``."""

    def __init__(self, rubric: Rubric, *args: Any, sheet: ScoreSheet | None = None, **kw: Any):
        initial = {}
        for dim, row in ((sheet.scores if sheet else None) or {}).items():
            initial[f"{dim}_points"] = row.get("points", "")
            initial[f"{dim}_comment"] = row.get("comment", "")
        kw.setdefault("initial", initial)
        super().__init__(*args, **kw)
        self.rubric = rubric
        for c in rubric.criteria:
            self.fields[f"{c.dimension}_points"] = forms.CharField(
                label=_("%(criterion)s（满分 %(max)s）")
                % {"criterion": c.label, "max": c.max_points},
                required=False,
                max_length=8,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "data-max": c.max_points}
                ),
            )
            self.fields[f"{c.dimension}_comment"] = forms.CharField(
                label=_("%(criterion)s评语") % {"criterion": c.label},
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        """(criterion, points field, comment field) for the template."""
        return [
            (c, self[f"{c.dimension}_points"], self[f"{c.dimension}_comment"])
            for c in self.rubric.criteria
        ]

    def scores(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            c.dimension: {
                "points": data.get(f"{c.dimension}_points", ""),
                "comment": data.get(f"{c.dimension}_comment", ""),
            }
            for c in self.rubric.criteria
        }

    def show_problems(self, exc: ScoreProblems) -> None:
        for name, message in exc.fields.items():
            self.add_error(name if name in self.fields else None, message)


class PaperSheetForm(ScoreSheetForm):
    """A paper sheet typed in by the panel secretary, with the signed scan."""

    def __init__(self, rubric: Rubric, *args: Any, **kw: Any):
        super().__init__(rubric, *args, **kw)
        self.fields["scan"] = forms.FileField(
            label=_("签字的纸质评分表扫描件"),
            widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("退回重评原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DefenceSessionForm(forms.Form):
    panel = ScopedModelChoiceField(queryset=Panel.objects.none(), label=_("评审组"))
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    venue = forms.CharField(label=_("地点"), max_length=200)

    def __init__(self, panels: Any, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        field = self.fields["panel"]
        assert isinstance(field, ScopedModelChoiceField)
        field.queryset = panels.select_related("area")
        field.label_from_instance = lambda p: str(p.area)  # type: ignore[method-assign,assignment]
