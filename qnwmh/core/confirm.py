"""A confirmation step for one-click actions with lasting effect.

The button carries ``data-confirm="question"``; ``core/app.js`` asks in the browser and adds
``confirmed=1`` to the form. Without JavaScript (or a hand-made POST) the view answers with a
page that asks the same question and re-posts the same fields once the clerk confirms. Check
permissions before asking: an actor who may not act gets 403/404, never the question."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

SKIP = {"csrfmiddlewaretoken", "confirmed"}


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirmed") == "1"


def ask(
    request: HttpRequest, question: str | Promise, *, back: str, action_label: str | Promise = ""
) -> HttpResponse:
    """The page that asks ``question``; confirming re-posts this request's fields."""
    fields = [(k, v) for k, values in request.POST.lists() if k not in SKIP for v in values]
    return render(
        request,
        "core/confirm.html",
        {
            "question": question,
            "action": request.path,
            "fields": fields,
            "back": back,
            "action_label": action_label,
        },
    )
