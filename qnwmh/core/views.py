from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.home import tasks_for


@guarded()
def home(request: ActorRequest) -> HttpResponse:
    return render(request, "core/home.html", {"tasks": tasks_for(request.actor)})
