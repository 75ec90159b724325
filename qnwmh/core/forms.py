"""Form helpers shared by the back office."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from qnwmh.core.collation import pinyin_key
from qnwmh.core.errors import DomainError


class ScopedModelChoiceField(forms.ModelChoiceField):
    """A choice limited to what the actor may see. A posted id outside that scope is a
    tampered form, answered with 404 like any other out-of-scope object."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise Http404 from None


class SearchableSelect(forms.Select):
    """A long select (hundreds of collectives) with a type-ahead box: ``core/app.js`` puts a
    search field before it that narrows the options by name, full pinyin or pinyin initials
    (``zsd`` finds 中山大…). Without JavaScript it is a plain select. Only the display is
    filtered: the field (``ScopedModelChoiceField``) still checks the posted id on the server."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        base = {"data-searchable": "", "data-search-label": _("输入名称或拼音首字母筛选")}
        super().__init__({**base, **(attrs or {})}, choices)

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if option["value"] not in ("", None):
            label = str(option["label"])
            # A stored key (Collective.sort_key) spares computing it for hundreds of options.
            stored = getattr(getattr(option["value"], "instance", None), "sort_key", "")
            syllables = (stored or pinyin_key(label)).split()
            initials = "".join(s[0] for s in syllables if s)
            option["attrs"]["data-search"] = f"{label}|{''.join(syllables)}|{initials}".lower()
        return option


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else on top."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
