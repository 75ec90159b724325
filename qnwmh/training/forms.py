"""Forms of leader training: a new session (organiser among the actor's organisations, an
opened cycle)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Actor
from qnwmh.core.forms import ScopedModelChoiceField
from qnwmh.cycles.models import Cycle, Phase
from qnwmh.training.selectors import organiser_choices

WHEN = forms.DateTimeInput({"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionForm(forms.Form):
    organiser = ScopedModelChoiceField(label=_("主办"), queryset=None, empty_label=None)
    cycle = ScopedModelChoiceField(label=_("创建周期"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("名称"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=WHEN)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=WHEN)
    topic = forms.CharField(
        label=_("内容"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organiser: Any = self.fields["organiser"]
        organiser.queryset = organiser_choices(actor)
        cycle: Any = self.fields["cycle"]
        cycle.queryset = Cycle.objects.exclude(phase__in=[Phase.DRAFT, Phase.CLOSED])
