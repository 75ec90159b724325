"""Forms of exchange events: a new event, a registration, attendance, minutes with photos and
a mutual visit's appraisal (one points-and-comment pair per ``AppraisalItem``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives.models import Collective
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.actor import Actor
from qnwmh.core.forms import DateInput, ScopedModelChoiceField, SearchableSelect
from qnwmh.exchange.models import POINTS, AppraisalItem, EventKind, Registration
from qnwmh.exchange.services import MAX_PEOPLE
from qnwmh.orgs.models import Organisation


def organisers_for(actor: Actor) -> Any:
    """The organisations the actor may organise for: the city (city admins) and its bodies."""
    qs = Organisation.objects.all()
    if actor.is_city_admin:
        return qs.filter(kind__in=[Organisation.Kind.CITY, Organisation.Kind.BODY]).order_by(
            "kind", "name"
        )
    return qs.filter(id__in=actor.body_ids).order_by("name")


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=EventKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    organiser = ScopedModelChoiceField(label=_("主办单位"), queryset=Organisation.objects.none())
    held_on = forms.DateField(label=_("活动日期"), widget=DateInput())
    place = forms.CharField(label=_("活动地点"), max_length=200)
    description = forms.CharField(
        label=_("活动内容"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    capacity = forms.IntegerField(
        label=_("名额上限（集体数，留空不限）"), required=False, min_value=1, max_value=10000
    )
    registration_closes_on = forms.DateField(
        label=_("报名截止日期"), required=False, widget=DateInput()
    )
    invited_bodies = forms.ModelMultipleChoiceField(
        label=_("邀请组织管理机构（其所属集体均可报名）"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    invited_collectives = forms.ModelMultipleChoiceField(
        label=_("邀请集体"),
        queryset=Collective.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    host = ScopedModelChoiceField(
        label=_("接待集体（互访）"),
        queryset=Collective.objects.none(),
        required=False,
        widget=SearchableSelect,
    )
    guest = ScopedModelChoiceField(
        label=_("来访集体（互访）"),
        queryset=Collective.objects.none(),
        required=False,
        widget=SearchableSelect,
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisers = organisers_for(actor)
        self.fields["organiser"].queryset = organisers  # type: ignore[attr-defined]
        self.fields["organiser"].initial = organisers.first()
        self.fields["invited_bodies"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.bodies().order_by("name")
        )
        mine = collectives_visible_to(actor).order_by("sort_key")
        self.fields["invited_collectives"].queryset = mine  # type: ignore[attr-defined]
        self.fields["host"].queryset = mine  # type: ignore[attr-defined]
        # The guest may come from any body: a visit across bodies is the point of it.
        self.fields["guest"].queryset = (  # type: ignore[attr-defined]
            Collective.objects.order_by("sort_key")
        )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=300)


class RegisterForm(forms.Form):
    collective = ScopedModelChoiceField(
        label=_("报名集体"), queryset=Collective.objects.none(), widget=SearchableSelect
    )
    people = forms.IntegerField(label=_("参加人数"), min_value=1, max_value=MAX_PEOPLE, initial=1)

    def __init__(self, collectives: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collective"].queryset = collectives  # type: ignore[attr-defined]
        if len(collectives) == 1:
            self.fields["collective"].initial = collectives[0]


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("出席集体"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, registrations: list[Registration], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.choices = [(str(r.collective_id), r.collective.name) for r in registrations]  # type: ignore[attr-defined]
        field.initial = [str(r.collective_id) for r in registrations if r.attended is not False]

    def ids(self) -> set[int]:
        return {int(i) for i in self.cleaned_data["attended"]}


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("活动纪要"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )


class AppraisalForm(forms.Form):
    """``points_<key>`` and ``comment_<key>`` per active appraisal item, and the side."""

    by_collective = forms.ChoiceField(label=_("评价方"))

    def __init__(
        self, sides: list[Collective], items: list[AppraisalItem], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sides = {str(c.pk): c for c in sides}
        self.fields["by_collective"].choices = [(k, c.name) for k, c in self.sides.items()]  # type: ignore[attr-defined]
        self.items = items
        for item in items:
            self.fields[f"points_{item.key}"] = forms.TypedChoiceField(
                label=item.label,
                help_text=escape(item.hint),  # stored text: the form template writes help as HTML
                choices=[(p, str(p)) for p in POINTS],
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{item.key}"] = forms.CharField(
                label=_("%(item)s · 意见") % {"item": item.label},
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def side(self) -> Collective:
        return self.sides[self.cleaned_data["by_collective"]]

    def scores(self) -> dict[str, tuple[int, str]]:
        d = self.cleaned_data
        return {i.key: (d[f"points_{i.key}"], d[f"comment_{i.key}"]) for i in self.items}
