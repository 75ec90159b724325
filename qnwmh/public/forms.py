from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Actor
from qnwmh.core.forms import ScopedModelChoiceField
from qnwmh.orgs.selectors import bodies_visible_to


class BoardsForm(forms.Form):
    body = ScopedModelChoiceField(
        queryset=None,
        required=False,
        label=_("组织管理机构"),
        empty_label=_("全部（我管理的集体）"),
    )
    titled_only = forms.BooleanField(
        required=False, initial=True, label=_("仅限持有有效称号的集体")
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        field = self.fields["body"]
        field.queryset = bodies_visible_to(actor).select_related(None).only("id", "name")  # type: ignore[attr-defined]
        if actor.is_city_admin:
            field.empty_label = _("请选择")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.actor.is_city_admin and not data.get("body"):
            # The whole city in one PDF would be hundreds of pages; city staff print per body.
            self.add_error("body", _("请选择组织管理机构。"))
        return data


class VisitForm(forms.Form):
    """A visitor's booking of one day of an open week; the days are the event's own."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    visitors = forms.IntegerField(label=_("参观人数"), min_value=1, max_value=50, initial=1)
    visit_on = forms.TypedChoiceField(label=_("参观日期"), coerce=datetime.date.fromisoformat)
    note = forms.CharField(
        label=_("备注"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, days: list[datetime.date], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit_on"].choices = [  # type: ignore[attr-defined]
            (d.isoformat(), f"{d:%Y-%m-%d}") for d in days
        ]
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
