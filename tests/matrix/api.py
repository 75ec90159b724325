"""Back-office pages of the API app. The API routes themselves: tests/api/test_api_matrix.py."""

from tests.api.helpers import api_token
from tests.matrix import LOGIN, Row, expect

ROWS = [
    # Roles with API use (every signed-in role) manage their own tokens; the public has none.
    Row("api:tokens", expect(200, anonymous=LOGIN), permission="api.manage_token"),
    Row(
        "api:tokens",
        expect(200, anonymous=LOGIN),
        method="post",
        data=lambda w: {"name": "测试"},
        label="issue",
        permission="api.manage_token",
    ),
    # Someone else's token is out of scope (404) except for city admins.
    Row(
        "api:token_revoke",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=302),
        kwargs=lambda w: {"code": api_token(w.users["body_admin"])[0].code},
        method="post",
        data=lambda w: {"confirmed": "1"},
        permission="api.manage_token",
    ),
    # Interactive docs: league staff only.
    Row(
        "api:docs",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200),
        permission="api.view_docs",
    ),
]
