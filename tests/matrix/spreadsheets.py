"""Spreadsheet import and export. Import is for league staff (city and body admins); a batch
is seen by its uploader and the city, and confirmed only by its uploader. Exports follow the
list they come from."""

from typing import Any

from tests.matrix import LOGIN, Row, expect

STAFF = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
XLSX = "?format=xlsx"


def _batch(w: Any) -> dict[str, str]:
    from qnwmh.collectives.importing.services import import_upload
    from tests.xlsx_builders import small_valid_file, upload

    batch = import_upload(w.actor("body_admin"), upload=upload(small_valid_file(w.body)))
    assert batch.status == "ready", batch.errors
    return {"code": batch.code}


ROWS = [
    Row("collectives:import", STAFF, permission="collectives.import"),
    Row(
        "collectives:import",
        STAFF,
        method="post",
        label="upload without file",
        permission="collectives.import",
    ),
    Row("collectives:import_template", STAFF, permission="collectives.import"),
    Row(
        "collectives:import_batch",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=404),
        kwargs=_batch,
        permission="collectives.import",
    ),
    Row(
        "collectives:import_apply",
        expect(403, anonymous=LOGIN, body_admin=302, outsider=404),
        kwargs=_batch,
        method="post",
        permission="collectives.import_apply",
    ),
    Row(
        "collectives:members_export",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, manager=200),
        permission="collectives.view_list",
    ),
    Row(
        "collectives:list",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, manager=200),
        query=XLSX,
        label="xlsx",
        permission="collectives.view_list",
    ),
    Row("accounts:user_list", STAFF, query=XLSX, label="xlsx", permission="accounts.manage_users"),
    Row(
        "accounts:login_log",
        expect(403, anonymous=LOGIN, city_admin=200),
        query=XLSX,
        label="xlsx",
        permission="accounts.view_login_log",
    ),
    Row(
        "audit:log",
        expect(403, anonymous=LOGIN, city_admin=200),
        query=XLSX,
        label="xlsx",
        permission="audit.view",
    ),
]
