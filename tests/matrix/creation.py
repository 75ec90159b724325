"""Creation records of the body's titled, registered collective: the city, the body and the
collective's manager see them; the outsider body and the reviewer get 404."""

from typing import Any

from tests.matrix import LOGIN, Row, expect


def coll(w: Any) -> dict[str, str]:
    from tests.creation_helpers import setup

    setup(w)
    return {"code": w.collective.code}


def entry(w: Any) -> dict[str, str]:
    from tests.creation_helpers import setup

    return {"code": w.collective.code, "entry": setup(w)["entry"].code}


def cycle_only(w: Any) -> dict[str, str]:
    from tests.creation_helpers import setup

    setup(w)
    return {}


def body(w: Any) -> dict[str, str]:
    from tests.creation_helpers import setup

    setup(w)
    return {"body": w.body.code}


SEE = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200)
STAFF = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
BODY = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=404)

ROWS = [
    Row(
        "creation:index",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, manager=302),
        kwargs=cycle_only,
        permission="creation.view",
    ),
    Row("creation:compliance", STAFF, kwargs=cycle_only, permission="creation.view_compliance"),
    Row(
        "creation:compliance_export",
        STAFF,
        kwargs=cycle_only,
        permission="creation.view_compliance",
    ),
    Row("creation:body_compliance", BODY, kwargs=body, permission="creation.view_compliance"),
    Row("creation:entries", STAFF, kwargs=cycle_only, permission="creation.view_compliance"),
    Row(
        "creation:entries",
        STAFF,
        kwargs=cycle_only,
        query="?kind=open_week&evidence=yes&month=2026-03&body=1",
        label="filtered",
        permission="creation.view_compliance",
    ),
    Row("creation:duties", STAFF, kwargs=cycle_only, permission="creation.view_compliance"),
    Row("creation:body_duties", BODY, kwargs=body, permission="creation.view_compliance"),
    Row(
        "creation:body_duties",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=404),
        kwargs=body,
        method="post",
        label="invalid",
        permission="creation.manage_duties",
    ),
    Row("creation:log", SEE, kwargs=coll, permission=None),
    Row("creation:entry_create", SEE, kwargs=coll, permission="creation.edit_records"),
    Row("creation:entry", SEE, kwargs=entry, permission=None),
    Row("creation:entry_correct", SEE, kwargs=entry, permission="creation.edit_records"),
    Row(
        "creation:entry_attach",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=302, manager=302),
        kwargs=entry,
        method="post",
        permission="creation.edit_records",
    ),
    Row("creation:plan", SEE, kwargs=coll, permission=None),
    Row("creation:plan_edit", SEE, kwargs=coll, permission="creation.edit_records"),
    Row("creation:plan_compare", SEE, kwargs=coll, permission=None),
    Row("creation:ledger", SEE, kwargs=coll, permission=None),
    Row("creation:dossier_pdf", SEE, kwargs=coll, permission=None),
    Row("creation:dossier_zip", SEE, kwargs=coll, permission=None),
    Row("creation:collective_compliance", SEE, kwargs=coll, permission=None),
    Row("open_weeks", expect(200), kwargs=cycle_only, permission=None),
]
