from tests.matrix import LOGIN, Row, expect

ROWS = [
    Row("core:home", expect(200, anonymous=LOGIN)),
    Row("floor", expect(200)),
    Row("set_language", expect(302), method="post", data=lambda w: {"language": "en", "next": "/"}),
    Row("audit:log", expect(403, anonymous=LOGIN, city_admin=200)),
    Row("programme:rules", expect(200, anonymous=LOGIN, manager=403, reviewer=403)),
    Row(
        "programme:rules",
        expect(403, anonymous=LOGIN, city_admin=200),
        method="post",
        data=lambda w: {},
        label="save",
    ),
]
