"""Evidence files of the body's collective: the outsider body and the reviewer get 404."""

from typing import Any

from tests.matrix import LOGIN, Row, expect


def photo(w: Any) -> dict[str, str]:
    from django.test import TestCase

    from qnwmh.evidence.services import store_upload
    from tests import evidence_files as ef

    with TestCase.captureOnCommitCallbacks(execute=True):  # files are written on commit
        stored = store_upload(
            w.actor("manager"),
            uploaded_file=ef.upload("a.jpg", ef.jpeg()),
            collective=w.collective,
            purpose="creation.log",
        )
    return {"code": stored.code}


SEE = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200)

ROWS = [
    Row("evidence:file", SEE, kwargs=photo, permission=None),
    Row("evidence:thumb", SEE, kwargs=photo, permission=None),
]
