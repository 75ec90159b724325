from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from qnwmh.core.home import tasks_for
from qnwmh.orgs.models import Organisation


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return render(request, "core/home.html", {"tasks": tasks_for(actor)})


def floor(request: HttpRequest) -> HttpResponse:
    """The framework floor for benchmarks: the full middleware stack and one indexed query."""
    org = Organisation.objects.filter(kind=Organisation.Kind.CITY).values("code").first()
    return JsonResponse({"ok": True, "city": org["code"] if org else None})
