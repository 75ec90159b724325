"""Form helpers shared by the back office."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404

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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else on top."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
