"""Forms rendered with Django's own markup, the common templates written out in Python.

Django renders a three-field form through about fifteen template renders (the form, then per
field its group, label, error list and widget), which was a fifth of the cheapest back-office
page. ``FormRenderer`` answers the stock templates below with functions that produce the
same output, character for character, as the Jinja2 copies Django ships
(``django/forms/jinja2``): the same expressions, escaped by the same function (markupsafe's
``escape``, the one Jinja2's autoescape calls), the same text between them. Every other
template, and any case a function does not cover (an error list with errors, a custom field
template), goes through Jinja2 as before.

Each function mirrors one template's source, whose digest is recorded beside it: should an
upgrade of Django change a template, its function is no longer used (and
``tests/test_formrender.py`` fails, so it gets rewritten).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from django import forms
from django.forms.renderers import Jinja2
from markupsafe import escape

STOCK = Path(forms.__file__).parent / "jinja2"

Context = Mapping[str, Any]


def _attrs(attrs: Mapping[str, Any]) -> str:
    # django/forms/attrs.html and widgets/attrs.html: True is a bare name, False is left out.
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(context: Context) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{escape(value)}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _textarea(context: Context) -> str:
    widget = context["widget"]
    value = widget["value"]
    return (
        f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{escape(value) if value else ''}</textarea>"
    )


def _label(context: Context) -> str:
    label = escape(context["label"])
    if not context["use_tag"]:
        return label
    tag, attrs = escape(context["tag"]), context["attrs"]
    return f"<{tag}{_attrs(attrs) if attrs else ''}>{label}</{tag}>"


def _error_list(context: Context) -> str | None:
    # Only the empty list (every field of a form not yet posted) is written here.
    return "" if not context["errors"] else None


def _field(context: Context) -> str:
    field = context["field"]
    fieldset = field.use_fieldset
    if fieldset:
        aria = field.aria_describedby
        described = f' aria-describedby="{escape(aria)}"' if aria else ""
        legend = escape(field.legend_tag()) if field.label else ""
        head = f"\n  <fieldset{described}>\n  {legend}\n"
    else:
        head = f"\n  {escape(field.label_tag()) if field.label else ''}\n"
    help_html = ""
    if field.help_text:
        auto_id = field.auto_id
        id_attr = f' id="{escape(auto_id)}_helptext"' if auto_id else ""
        help_html = f'<div class="helptext"{id_attr}>{field.help_text}</div>'
    return (
        f"{head}\n{help_html}\n{escape(field.errors)}\n{escape(field)}\n"
        f"{'</fieldset>' if fieldset else ''}"
    )


def _form_div(context: Context) -> str:
    errors, fields = context["errors"], context["fields"]
    hidden = "".join(escape(f) for f in context["hidden_fields"])
    out = [f"{escape(errors)}\n"]
    if errors and not fields:
        out.append(f"\n  <div>{hidden}</div>\n")
    out.append("\n")
    last = len(fields) - 1
    for i, (field, _errors) in enumerate(fields):
        classes = field.css_classes()
        class_attr = f' class="{escape(classes)}"' if classes else ""
        tail = f"\n      {hidden}\n    " if i == last else ""
        out.append(
            f"\n  <div{class_attr}>\n    {escape(field.as_field_group())}\n    {tail}\n</div>\n"
        )
    out.append("\n")
    if not fields and not errors:
        out.append(f"\n  {hidden}\n")
    return "".join(out)


# The first 16 hex digits of the sha256 of each stock template a function mirrors.
DIGESTS = {
    "django/forms/div.html": "59a3aa6358507b59",
    "django/forms/field.html": "21f783901a7bc876",
    "django/forms/label.html": "b6b5e8eb21787b30",
    "django/forms/attrs.html": "4c3d2534afa88438",
    "django/forms/errors/list/default.html": "ab8d5de2ee977310",
    "django/forms/errors/list/ul.html": "bcae7f15e13bc395",
    "django/forms/widgets/input.html": "bb5d9f65d7beba09",
    "django/forms/widgets/attrs.html": "fc9d8ff803a91c58",
    "django/forms/widgets/textarea.html": "02fd58fa1a57514d",
}
# The widgets whose template is only ``{% include "django/forms/widgets/input.html" %}``.
INCLUDE_INPUT = "7d7a5bc4ccc075bb"
INPUTS: tuple[str, ...] = ("text", "password", "email", "number", "url", "tel", "search")
INPUTS += ("date", "datetime", "time", "color", "hidden", "checkbox", "file")
INPUT_FILES = ("django/forms/widgets/input.html", "django/forms/widgets/attrs.html")
DIGESTS |= {f"django/forms/widgets/{kind}.html": INCLUDE_INPUT for kind in INPUTS}

Writer = Callable[[Context], str | None]

# Template name -> its function and the stock templates it mirrors.
WRITTEN: dict[str, tuple[Writer, tuple[str, ...]]] = {
    "django/forms/div.html": (_form_div, ("django/forms/div.html",)),
    "django/forms/field.html": (_field, ("django/forms/field.html",)),
    "django/forms/label.html": (_label, ("django/forms/label.html", "django/forms/attrs.html")),
    "django/forms/errors/list/default.html": (
        _error_list,
        ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"),
    ),
    "django/forms/errors/list/ul.html": (_error_list, ("django/forms/errors/list/ul.html",)),
    "django/forms/widgets/textarea.html": (
        _textarea,
        ("django/forms/widgets/textarea.html", "django/forms/widgets/attrs.html"),
    ),
    **{f"django/forms/widgets/{kind}.html": (_input, INPUT_FILES) for kind in INPUTS},
}


def digest(name: str) -> str:
    """The first 16 hex digits of the sha256 of Django's stock Jinja2 template ``name``."""
    path = STOCK / name
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else ""


def unchanged(name: str, files: tuple[str, ...]) -> bool:
    """Whether ``name`` and every template its function mirrors are as recorded."""
    return all(digest(f) == DIGESTS[f] for f in {name, *files})


class FormRenderer(Jinja2):
    """Django's Jinja2 form renderer, with the templates in ``WRITTEN`` written in Python.

    A function that cannot write its case (it returns None, or the context lacks what the
    template reads) leaves it to the template."""

    def render(self, template_name: str, context: Any, request: Any = None) -> str:
        write = self._written.get(template_name)
        if write is not None:
            try:
                out = write(context)
            except (KeyError, AttributeError):
                out = None
            if out is not None:
                return out.strip()
        return str(super().render(template_name, context, request))

    @cached_property
    def _written(self) -> dict[str, Writer]:
        return {name: write for name, (write, files) in WRITTEN.items() if unchanged(name, files)}
