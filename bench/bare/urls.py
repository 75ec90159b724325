"""Two views: sign in (to give requests a real session) and the bare floor."""

from __future__ import annotations

from django.contrib.auth import authenticate, login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from bench.bare.models import Organisation


def floor(request: HttpRequest) -> JsonResponse:
    """The platform floor's query and answer, behind nothing but the session and the user."""
    org = Organisation.objects.filter(kind="city").values("code").first()
    return JsonResponse({"ok": request.user.is_authenticated, "city": org["code"] if org else None})


def sign_in(request: HttpRequest) -> HttpResponse:
    """POST username and password: a session as the platform's login would make one."""
    user = authenticate(
        request, username=request.POST.get("username"), password=request.POST.get("password")
    )
    if user is None:
        return HttpResponse(status=403)
    login(request, user)
    return HttpResponse(status=204)


urlpatterns = [path("-/floor/", floor), path("login/", sign_in)]
