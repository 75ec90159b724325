"""The public side of recognition (no account): published typical-case stories, one story with
its photos, and the photos themselves (evidence files are private; a published story's photos
are public, so they are served here, only while the story is published)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate
from qnwmh.evidence.models import EvidenceKind
from qnwmh.recognition.selectors import public_photo, public_story, published_stories, story_photos

PUBLIC_PAGE_SIZE = 15


@guarded(public=True)
@require_safe
def stories_view(request: ActorRequest) -> HttpResponse:
    page = paginate(request, published_stories(), per_page=PUBLIC_PAGE_SIZE)
    return render(request, "recognition/public/stories.html", {"page": page})


@guarded(public=True)
@require_safe
def story_view(request: ActorRequest, code: str) -> HttpResponse:
    story = public_story(code)
    return render(
        request,
        "recognition/public/story.html",
        {"s": story, "photos": story_photos(story)},
    )


@guarded(public=True)
@require_safe
# Revalidated on every use: a withdrawn story's photos must stop being served at once.
@cache_control(no_cache=True, private=True)
def photo_view(request: ActorRequest, code: str, photo: str) -> FileResponse:
    """The re-encoded image (no metadata), or its thumbnail with ``?thumb=1``."""
    evidence = public_photo(public_story(code), photo)
    if evidence.kind != EvidenceKind.IMAGE:
        raise Http404
    thumb = request.GET.get("thumb") == "1" and bool(evidence.thumbnail_name)
    name = evidence.thumbnail_name if thumb else evidence.storage_name
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg" if thumb else evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
