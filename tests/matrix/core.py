from tests.matrix import LOGIN, Row, expect

ROWS = [
    Row("core:home", expect(200, anonymous=LOGIN), permission=None),
    Row("floor", expect(200), permission=None),
    Row(
        "set_language",
        expect(302),
        method="post",
        data=lambda w: {"language": "en", "next": "/"},
        permission=None,
    ),
    Row("audit:log", expect(403, anonymous=LOGIN, city_admin=200), permission="audit.view"),
    Row(
        "programme:rules",
        expect(200, anonymous=LOGIN, manager=403, reviewer=403),
        permission="programme.view_rules",
    ),
    Row(
        "programme:rules",
        expect(403, anonymous=LOGIN, city_admin=200),
        method="post",
        data=lambda w: {},
        label="save",
        permission="programme.edit_rules",
    ),
]
