from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from qnwmh.core.actor import Actor
from qnwmh.core.codes import is_code_shaped
from qnwmh.downloads.models import GeneratedFile


def files_of(actor: Actor) -> QuerySet[GeneratedFile]:
    """A person's own generated files: nobody else's, whatever their role."""
    if actor.user is None:
        return GeneratedFile.objects.none()
    return GeneratedFile.objects.filter(owner_id=actor.user.pk)


def file_of(actor: Actor, code: str) -> GeneratedFile:
    """One of the actor's files; anyone else's (or no such file) answers 404."""
    generated = files_of(actor).filter(code=code).first() if is_code_shaped(code) else None
    if generated is None:
        raise Http404
    return generated
