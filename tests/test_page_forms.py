"""The screenless browser of the end-to-end tests sends what a browser sends and nothing the
page does not offer (tests/page_forms.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.page_forms import Browser, forms_of

PAGE = """
<form method="get" action="/x/"><button>筛选</button></form>
<form method="post" action="/x/">
  <input type="hidden" name="csrfmiddlewaretoken" value="t">
  <input type="text" name="title" value="旧">
  <input type="checkbox" name="public" value="1" checked>
  <input type="checkbox" name="pick" value="a"><input type="checkbox" name="pick" value="b">
  <input type="radio" name="q1" value="7"><input type="radio" name="q1" value="8" checked>
  <select name="kind"><option value="">—</option><option value="open_week" selected>开放周</option></select>
  <select name="area"><option value="3">北片</option><option value="4">南片</option></select>
  <textarea name="text">
第一行</textarea>
  <input type="text" name="off" value="x" disabled>
  <input type="file" name="photos">
  <button type="submit" name="action" value="save">保存</button>
  <button type="submit" formaction="/y/" data-confirm="确定？">交卷</button>
</form>
"""


def test_a_form_sends_its_current_values() -> None:
    [_get, form] = forms_of(PAGE)
    assert form.data() == {
        "csrfmiddlewaretoken": ["t"],
        "title": ["旧"],
        "public": ["1"],
        "q1": ["8"],
        "kind": ["open_week"],
        "area": ["3"],
        "text": ["第一行"],
    }
    assert [(b.label, b.name, b.formaction, b.confirm) for b in form.buttons] == [
        ("保存", "action", "", False),
        ("交卷", "", "/y/", True),
    ]


class _Recorder:
    """Stands in for the test client: records what would be posted."""

    def __init__(self) -> None:
        self.posted: list[tuple[str, dict[str, Any]]] = []

    def post(self, url: str, data: dict[str, Any], follow: bool) -> Any:
        self.posted.append((url, data))

        class Response:
            status_code = 200
            content = b"<p>ok</p>"
            redirect_chain: list[Any] = []

        return Response()


def _browser() -> tuple[Browser, _Recorder]:
    b = Browser.__new__(Browser)
    b.client, b.url, b.html = _Recorder(), "/x/", PAGE
    return b, b.client


def test_the_clicked_button_and_its_question_go_with_the_form() -> None:
    b, sent = _browser()
    b.submit("/x/", {"pick": ["b"], "public": False, "area": "4"}, button="保存")
    url, data = sent.posted[-1]
    assert url == "/x/" and data["action"] == ["save"] and "confirmed" not in data
    assert data["pick"] == ["b"] and data["public"] == [] and data["area"] == ["4"]
    b, sent = _browser()
    b.submit("/x/", button="交卷")
    url, data = sent.posted[-1]
    assert url == "/y/" and data["confirmed"] == ["1"]


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"off": "y"}, "is not a field"),  # disabled: not sent, not typeable
        ({"nonsense": "1"}, "is not a field"),
        ({"area": "99"}, "not offered"),
        ({"pick": ["c"]}, "not offered"),
    ],
)
def test_what_the_page_does_not_offer_cannot_be_sent(fields: dict[str, Any], problem: str) -> None:
    b, sent = _browser()
    with pytest.raises(AssertionError, match=problem):
        b.submit("/x/", fields)
    assert sent.posted == []


def test_a_missing_form_names_what_the_page_has() -> None:
    b, _sent = _browser()
    with pytest.raises(AssertionError, match="no form to /z/"):
        b.submit("/z/")
