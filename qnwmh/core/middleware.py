from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

# When the session was last written (epoch seconds): its stored expiry is that plus the idle
# timeout (SESSION_COOKIE_AGE).
SESSION_RENEWED_KEY = "_renewed"


def renewal_due(session: SessionBase, now: float) -> bool:
    """Whether this request should write the session to push its idle expiry forward: when it
    was last written at least ``SESSION_RENEW_SECONDS`` ago (or never by this middleware)."""
    renewed = session.get(SESSION_RENEWED_KEY)
    if not isinstance(renewed, int | float):
        return True
    return now - renewed >= settings.SESSION_RENEW_SECONDS


class RenewingSessionMiddleware(SessionMiddleware):
    """Django's session middleware, writing an unchanged session only once it has aged.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) costs a transaction and
    an UPDATE per page. Instead a session that a request read is written again when its last
    write is ``SESSION_RENEW_SECONDS`` old, which moves its stored expiry to now + the idle
    timeout. So a sign-in ends between ``SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS`` and
    ``SESSION_COOKIE_AGE`` after its last request: never later than the idle timeout, at most
    one renewal step earlier."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        # Only a session this request read (loaded, so no extra query) and that exists.
        if session is not None and session.accessed and session.session_key:
            now = time.time()
            if not session.is_empty() and (session.modified or renewal_due(session, now)):
                session[SESSION_RENEWED_KEY] = now  # marks it modified: the parent saves it
        return super().process_response(request, response)


class LanguageMiddleware(LocaleMiddleware):
    """zh-Hans unless the person chose otherwise with the header switch (a cookie).

    The browser's Accept-Language is ignored on purpose: staff and visitors in Zhongshan
    often run English-language phones and browsers yet expect the platform in Chinese.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


def body_too_large(request: HttpRequest, limit: int) -> bool:
    """True when the request announces (Content-Length) a body over ``limit`` bytes. Only the
    header is looked at: nothing of the body has been read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django treats an unparsable length as an empty body
    return length > limit


class RequestSizeMiddleware:
    """Refuse a request body over ``settings.MAX_REQUEST_BODY_BYTES`` from its Content-Length,
    before any of it is read or parsed (413). The reverse proxy should refuse such bodies
    first (nginx ``client_max_body_size``); this holds when it does not."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BODY_BYTES
        if body_too_large(request, limit):
            message = _("请求内容过大：一次提交不能超过 %(mb)s MB。请减少或压缩文件后重试。") % {
                "mb": limit // (1024 * 1024)
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(
                f'<!DOCTYPE html><html lang="zh-Hans"><meta charset="utf-8">'
                f"<title>413</title><p>{escape(message)}</p></html>",
                status=413,
                content_type="text/html; charset=utf-8",
            )
        return self.get_response(request)
