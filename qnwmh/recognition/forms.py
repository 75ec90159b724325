"""Forms of recognition. Collectives are offered from the actor's scope (a tampered id answers
404); the services decide everything else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives.models import Collective, CollectiveStatus
from qnwmh.core.actor import Actor
from qnwmh.core.forms import DateInput, ScopedModelChoiceField, SearchableSelect
from qnwmh.core.scope import in_scope
from qnwmh.recognition.models import RewardKind

CODE = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})


def collectives_for(actor: Actor) -> Any:
    """The collectives a body or the city acts for: those in service within its scope."""
    qs = Collective.objects.filter(status=CollectiveStatus.ACTIVE)
    return in_scope(qs, actor, body="body_id").order_by("sort_key", "id")


class RewardForm(forms.Form):
    collective = ScopedModelChoiceField(
        label=_("集体"), queryset=Collective.objects.none(), widget=SearchableSelect
    )
    title_code = forms.CharField(
        label=_("相关称号编号（可选）"), max_length=12, required=False, widget=CODE
    )
    kind = forms.ChoiceField(label=_("奖励类别"), choices=RewardKind.choices)
    name = forms.CharField(label=_("奖励名称"), max_length=100)
    basis = forms.CharField(
        label=_("奖励依据"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision_number = forms.CharField(label=_("决定文号"), max_length=60)
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput())
    decided_by_org = forms.CharField(label=_("决定机关"), max_length=100)
    amount = forms.DecimalField(
        label=_("金额（元，物质奖励可填）"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    description = forms.CharField(
        label=_("奖励内容"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["collective"]
        assert isinstance(field, ScopedModelChoiceField)
        field.queryset = collectives_for(actor)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class StoryForm(forms.Form):
    heading = forms.CharField(label=_("标题"), max_length=100)
    summary = forms.CharField(label=_("摘要"), max_length=300, required=False)
    text = forms.CharField(
        label=_("正文"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12})
    )


class NewStoryForm(StoryForm):
    collective = ScopedModelChoiceField(
        label=_("集体"), queryset=Collective.objects.none(), widget=SearchableSelect
    )
    field_order = ["collective", "heading", "summary", "text"]

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["collective"]
        assert isinstance(field, ScopedModelChoiceField)
        field.queryset = collectives_for(actor)
