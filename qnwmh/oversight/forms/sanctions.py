"""Forms of the sanctions part. The kinds a sanction form offers come from the ladder
(``ladder.allowed_kinds``); the services decide everything else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.oversight.models import GRAVE, Basis, RevocationCategory, SanctionKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CODE = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})


def category_choices() -> list[tuple[str, Any]]:
    """Revocation categories, the grave ones (which revoke at once, whatever the ladder)
    marked."""
    out: list[tuple[str, Any]] = [("", _("（撤销称号时选择）"))]
    for value, label in RevocationCategory.choices:
        shown: Any = _("%(label)s（立即撤销）") % {"label": label} if value in GRAVE else label
        out.append((value, shown))
    return out


class TitlePickForm(forms.Form):
    """Which title to act on, by the code on its history page."""

    title = forms.CharField(label=_("称号编号"), max_length=12, widget=CODE)


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("处理方式"), widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("撤销原因类别"), required=False)
    basis = forms.ChoiceField(label=_("处理依据"), choices=Basis.choices)
    reference = forms.CharField(
        label=_("依据编号（复核个案、走访、投诉或整改的编号）"),
        max_length=16,
        required=False,
        widget=CODE,
    )
    basis_note = forms.CharField(
        label=_("依据说明（如媒体报道出处）"), max_length=300, required=False
    )
    reason = forms.CharField(
        label=_("处理理由"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, kinds: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind, category = self.fields["kind"], self.fields["category"]
        assert isinstance(kind, forms.ChoiceField) and isinstance(category, forms.ChoiceField)
        kind.choices = [(k, SanctionKind(k).label) for k in kinds]
        category.choices = category_choices()


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OrderForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("整改依据"), choices=[c for c in Basis.choices if c[0] != Basis.RECTIFICATION]
    )
    reference = forms.CharField(
        label=_("依据编号（复核个案、走访、投诉或处理的编号）"),
        max_length=16,
        required=False,
        widget=CODE,
    )
    requirements = forms.CharField(
        label=_("整改要求"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
    due_on = forms.DateField(label=_("整改期限"), widget=DATE)


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("整改情况"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6})
    )


class VerifyForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("核查结论"),
        choices=[("1", _("整改合格")), ("0", _("整改不合格"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("核查意见（不合格时必填，将提出撤销建议）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
