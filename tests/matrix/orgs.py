from tests.matrix import LOGIN, Row, expect

ORG_VIEW = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
CITY_ONLY = expect(403, anonymous=LOGIN, city_admin=200)

ROWS = [
    Row("orgs:list", ORG_VIEW, permission="orgs.view"),
    Row("orgs:reference", ORG_VIEW, permission="orgs.view"),
    Row("orgs:create", CITY_ONLY, permission="orgs.manage"),
    Row("orgs:edit", CITY_ONLY, kwargs=lambda w: {"code": w.body.code}, permission="orgs.manage"),
    Row("orgs:town_create", CITY_ONLY, permission="orgs.manage"),
    Row("orgs:town_edit", CITY_ONLY, kwargs=lambda w: {"pk": w.town.pk}, permission="orgs.manage"),
    Row("orgs:sector_create", CITY_ONLY, permission="orgs.manage"),
    Row(
        "orgs:sector_edit",
        CITY_ONLY,
        kwargs=lambda w: {"pk": w.sector.pk},
        permission="orgs.manage",
    ),
]
