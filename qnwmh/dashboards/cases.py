"""The annual report's typical cases (典型案例): the stories published in the year, in the
reader's scope (``recognition.selectors.story_list``, the same rows its stories list shows),
each with a short excerpt and, in the PDF, its first photo's thumbnail.

Only stories still published count: one withdrawn from the site since is no longer held up
as an example.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from qnwmh.core.actor import Actor
from qnwmh.evidence.models import EvidenceFile
from qnwmh.recognition.models import Story, StoryStatus
from qnwmh.recognition.selectors import StoryFilters, story_list

# A summary is at most 300 characters; a story without one is cut to this many.
EXCERPT_CHARS = 120


@dataclass(frozen=True)
class Case:
    heading: str
    collective: str
    body: str
    published_on: datetime.date
    excerpt: str
    photo: str  # the first photo's thumbnail as a data: URI, or "" (none, or not an image)


def published_in(actor: Actor, year: int) -> QuerySet[Story]:
    """The year's published stories the actor reaches, in the order they were published."""
    return (
        story_list(actor, StoryFilters(status=StoryStatus.PUBLISHED))
        .filter(published_at__year=year)
        .order_by("published_at", "id")
    )


def excerpt(story: Story) -> str:
    return story.summary or Truncator(" ".join(story.text.split())).chars(EXCERPT_CHARS)


def _thumbnail_uri(photo: EvidenceFile | None) -> str:
    """A thumbnail is a few kilobytes, made at upload: cheap to embed. A file missing from
    storage leaves the case without a photo rather than failing the report."""
    if photo is None or not photo.is_image or not photo.thumbnail_name:
        return ""
    try:
        with default_storage.open(photo.thumbnail_name, "rb") as fh:
            return "data:image/jpeg;base64," + base64.b64encode(fh.read()).decode()
    except OSError:
        return ""


def cases(actor: Actor, year: int, *, photos: bool = True) -> Iterator[Case]:
    """The year's typical cases; with ``photos``, each story's photos come in one query."""
    qs = published_in(actor, year)
    if photos:
        qs = qs.prefetch_related(
            Prefetch("photos", queryset=EvidenceFile.objects.order_by("id"), to_attr="ordered")
        )
    for story in qs:
        first = story.ordered[0] if photos and story.ordered else None  # type: ignore[attr-defined]
        yield Case(
            heading=story.heading,
            collective=story.collective.name,
            body=story.collective.body.name,
            published_on=timezone.localdate(story.published_at),
            excerpt=excerpt(story),
            photo=_thumbnail_uri(first),
        )
