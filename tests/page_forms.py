"""A browser without a screen for end-to-end page tests: it reads the forms of the page it
last opened and posts one the way a browser does — the form's own fields with their current
values (hidden inputs, checked boxes, selected options, textarea text), the CSRF token, the
clicked button's name, ``confirmed=1`` when the button or form asks first (what
``core/app.js`` adds once the clerk says OK) — then follows the redirects.

A field the page does not offer, or a choice its select does not list, fails the test: what
the clerk cannot type or pick on the page, the test cannot send either."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.test import Client

from qnwmh.accounts.models import User

VALUELESS = {"submit", "button", "reset", "image"}


@dataclass
class Control:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    value: str = ""
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)


@dataclass
class Button:
    label: str
    name: str = ""
    value: str = ""
    confirm: bool = False
    formaction: str = ""


@dataclass
class Form:
    action: str
    method: str
    confirm: bool
    controls: list[Control] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)

    def names(self) -> set[str]:
        return {c.name for c in self.controls}

    def data(self) -> dict[str, list[str]]:
        """What the browser sends before the clerk touches anything."""
        out: dict[str, list[str]] = {}
        for c in self.controls:
            if c.kind in ("checkbox", "radio"):
                if c.checked:
                    out.setdefault(c.name, []).append(c.value or "on")
            elif c.kind == "select":
                chosen = [v for v, s in c.options if s] or [v for v, _s in c.options[:1]]
                out.setdefault(c.name, []).extend(chosen[-1:])
            elif c.kind == "select-multiple":
                out.setdefault(c.name, []).extend(v for v, s in c.options if s)
            elif c.kind != "file":
                out.setdefault(c.name, []).append(c.value)
        return out

    def choices(self, name: str) -> set[str]:
        return {
            v
            for c in self.controls
            if c.name == name
            for v in (
                [o for o, _s in c.options] if c.kind.startswith("select") else [c.value or "on"]
            )
        }


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: list[Any] | None = None  # [value or None, selected, text]
        self._textarea: Control | None = None
        self._button: Button | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                confirm="data-confirm" in a,
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in VALUELESS:
                if kind == "submit":
                    form.buttons.append(
                        Button(a.get("value", ""), a.get("name", ""), a.get("value", ""))
                    )
            elif a.get("name"):
                form.controls.append(
                    Control(a["name"], kind, a.get("value", ""), checked="checked" in a)
                )
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            self._button = Button(
                "",
                a.get("name", ""),
                a.get("value", ""),
                confirm="data-confirm" in a,
                formaction=a.get("formaction", ""),
            )
            form.buttons.append(self._button)
        elif tag == "select" and a.get("name"):
            self._select = Control(a["name"], "select-multiple" if "multiple" in a else "select")
            form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and a.get("name"):
            self._textarea = Control(a["name"], "textarea")
            form.controls.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea.value += data
        if self._button is not None:
            self._button.label += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select.options.append((value if value is not None else text.strip(), selected))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The browser drops the newline right after <textarea>.
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None
        elif tag == "button" and self._button is not None:
            self._button.label = " ".join(self._button.label.split())
            self._button = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


class Browser:
    """One person at the pages: a logged-in test client enforcing CSRF like the server."""

    def __init__(self, user: User | None = None) -> None:
        self.client = Client(enforce_csrf_checks=True)
        if user is not None:
            self.client.force_login(user)
        self.url = ""
        self.html = ""

    def get(self, url: str, **params: Any) -> Any:
        response = self.client.get(url, params, follow=True)
        assert response.status_code == 200, (url, response.status_code)
        self._read(response, url)
        return response

    def _read(self, response: Any, fallback: str) -> None:
        chain = getattr(response, "redirect_chain", None)
        self.url = urlsplit(chain[-1][0]).path if chain else fallback
        self.html = response.content.decode()

    def form(self, action: str | None = None, button: str | None = None) -> tuple[Form, Button]:
        """The page's form posting to ``action`` (this page when blank) whose submit button
        reads ``button`` (the first button when not given)."""
        target = action or self.url
        for form in forms_of(self.html):
            if form.method != "post" or (form.action or self.url) != target:
                continue
            for b in form.buttons:
                if button is None or b.label == button:
                    return form, b
        offered = [(f.action, [b.label for b in f.buttons]) for f in forms_of(self.html)]
        raise AssertionError(f"no form to {target} with button {button!r} on {self.url}: {offered}")

    def submit(
        self,
        action: str | None = None,
        fields: dict[str, Any] | None = None,
        *,
        button: str | None = None,
        status: int = 200,
    ) -> Any:
        """Fill ``fields`` into the form (a list for several values, True/False to tick or
        untick a box, an uploaded file or a list of them for a file input), click the
        button, follow the redirects; the page reached becomes the current page."""
        form, clicked = self.form(action, button)
        data: dict[str, Any] = dict(form.data())
        for name, value in (fields or {}).items():
            assert name in form.names(), f"{name!r} is not a field of the form to {form.action}"
            kinds = {c.kind for c in form.controls if c.name == name}
            if kinds & {"checkbox"} and isinstance(value, bool):
                values = sorted(form.choices(name))
                data[name] = values[:1] if value else []
                continue
            if kinds & {"file"}:
                data[name] = value
                continue
            values = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
            if kinds & {"select", "select-multiple", "radio", "checkbox"}:
                offered = form.choices(name)
                missing = set(values) - offered
                assert not missing, f"{name}: {missing} not offered (choices {offered})"
            data[name] = values
        if clicked.name:
            data[clicked.name] = [clicked.value]
        if clicked.confirm or form.confirm:
            data["confirmed"] = ["1"]
        url = clicked.formaction or form.action or self.url
        assert form.method == "post", f"the form to {url} is not posted"
        response = self.client.post(url, data, follow=True)
        assert response.status_code == status, (url, response.status_code, response.content[:2000])
        self._read(response, url)
        return response

    def says(self, *texts: str) -> None:
        """The current page shows each text (a message, a status label)."""
        for text in texts:
            assert text in self.html, f"{text!r} not on {self.url}"
