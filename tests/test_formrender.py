"""Forms written in Python (``qnwmh.core.formrender``) give the very markup Django's own
Jinja2 templates give, for every kind of field and state the back office uses."""

from __future__ import annotations

import re
from typing import Any

import hypothesis
import pytest
from django import forms
from django.forms.renderers import BaseRenderer, Jinja2
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from qnwmh.accounts.forms import PasswordChangeForm
from qnwmh.core.formrender import WRITTEN, FormRenderer, unchanged
from qnwmh.core.forms import DateInput, SearchableSelect

CHOICES = [("a", "甲 & <b>"), ("b", "乙")]


class Everything(forms.Form):
    name = forms.CharField(label="名称", max_length=20, help_text="<b>help</b> & more")
    email = forms.EmailField(required=False)
    count = forms.IntegerField(min_value=0, initial=3)
    day = forms.DateField(widget=DateInput())
    agree = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    kind = forms.ChoiceField(choices=CHOICES)
    pick = forms.ChoiceField(choices=CHOICES, widget=SearchableSelect, required=False)
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)
    many = forms.MultipleChoiceField(
        choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    upload = forms.FileField(required=False)
    quiet = forms.CharField(label="", required=False)
    question = forms.CharField(label="Why?", required=False)
    frozen = forms.CharField(disabled=True, required=False, initial="a \"quoted\" <b> & 'x'")
    flags = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "spellcheck": False, "data-x": "<&>"}),
    )
    url = forms.URLField(
        required=False, assume_scheme="https", widget=forms.URLInput(attrs={"placeholder": "x"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") == "both":
            raise forms.ValidationError("整体 <错误>")
        return data


class Styled(Everything):
    required_css_class = "required"
    error_css_class = "error"


class HiddenOnly(forms.Form):
    a = forms.CharField(widget=forms.HiddenInput)
    b = forms.IntegerField(widget=forms.HiddenInput, required=False)


class Empty(forms.Form):
    pass


VALID = {"name": "ok", "count": "4", "day": "2026-11-30", "kind": "a", "agree": "on"}
INVALID = {"name": "x" * 30, "count": "-1", "day": "nope", "kind": "z", "email": "bad", "b": "x"}

CASES: list[tuple[type[forms.Form], dict[str, Any]]] = [
    (Everything, {}),
    (Everything, {"data": VALID}),
    (Everything, {"data": INVALID}),
    (Everything, {"data": {**VALID, "name": "both", "notes": "第一行\n<第二行>"}}),
    (Everything, {"data": {}}),
    (Everything, {"auto_id": False}),
    (Everything, {"prefix": "p", "data": INVALID}),
    (Everything, {"label_suffix": ":", "initial": {"notes": "<已有>", "many": ["a"]}}),
    (Styled, {"data": INVALID}),
    (Styled, {}),
    (HiddenOnly, {}),
    (HiddenOnly, {"data": {"b": "x"}}),
    (Empty, {}),
]


def _both(form_class: type[forms.Form], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    return form_class(renderer=FormRenderer(), **kwargs), form_class(renderer=Jinja2(), **kwargs)


@pytest.mark.parametrize(("form_class", "kwargs"), CASES)
def test_a_form_is_the_markup_of_django_s_templates(
    form_class: type[forms.Form], kwargs: dict[str, Any]
) -> None:
    written, templated = _both(form_class, kwargs)
    assert str(written) == str(templated)
    assert written.as_div() == templated.as_div()
    assert str(written.non_field_errors()) == str(templated.non_field_errors())
    for name in templated.fields:
        ours, theirs = written[name], templated[name]
        assert ours.as_field_group() == theirs.as_field_group(), name
        assert str(ours) == str(theirs), name
        assert ours.label_tag(attrs={"class": "x"}) == theirs.label_tag(attrs={"class": "x"})
        assert str(ours.errors) == str(theirs.errors), name


def test_forms_in_other_layouts_go_through_the_templates() -> None:
    for form_class, kwargs in CASES:
        written, templated = _both(form_class, kwargs)
        assert written.as_p() == templated.as_p()
        assert written.as_table() == templated.as_table()
        assert written.as_ul() == templated.as_ul()


@hypothesis.settings(max_examples=60, deadline=None)
@given(
    text=st.text(max_size=30),
    label=st.text(min_size=1, max_size=10),
    attr=st.one_of(st.booleans(), st.text(max_size=10), st.integers()),
)
def test_any_text_is_escaped_alike(text: str, label: str, attr: Any) -> None:
    class Form(forms.Form):
        line = forms.CharField(label=label, widget=forms.TextInput(attrs={"data-v": attr}))
        block = forms.CharField(label=label, widget=forms.Textarea, help_text=text)

    for kwargs in ({"initial": {"line": text, "block": text}}, {"data": {"line": text}}):
        written, templated = _both(Form, kwargs)
        assert str(written) == str(templated)


def test_the_recorded_templates_are_django_s_own() -> None:
    """An upgrade of Django that changes one of them must be seen here: the function written
    for it would otherwise be silently dropped (and the form rendered slowly again)."""
    assert [name for name, (_write, files) in WRITTEN.items() if not unchanged(name, files)] == []
    assert len(FormRenderer()._written) == len(WRITTEN)


def test_a_form_not_posted_renders_no_template(monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []
    original = BaseRenderer.render

    def counting(self: Any, template_name: str, *args: Any, **kwargs: Any) -> str:
        rendered.append(template_name)
        return original(self, template_name, *args, **kwargs)

    monkeypatch.setattr(BaseRenderer, "render", counting)
    html = str(PasswordChangeForm(None, renderer=FormRenderer()))
    assert 'type="password" name="new_password1"' in html
    assert rendered == []


CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [None, {"old_password": "wrong", "new_password1": "a", "new_password2": "b"}]
)
def test_the_password_page_is_unchanged(world: Any, settings: Any, data: Any) -> None:
    client = world.client("city_admin")
    url = reverse("accounts:password_change")

    def page() -> str:
        response = client.get(url) if data is None else client.post(url, data)
        return CSRF.sub(r"\1-", response.content.decode())

    ours = page()
    settings.FORM_RENDERER = "django.forms.renderers.Jinja2"
    assert ours == page()
    assert 'name="old_password"' in ours
