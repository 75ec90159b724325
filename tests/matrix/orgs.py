from tests.matrix import LOGIN, Row, expect

ORG_VIEW = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
CITY_ONLY = expect(403, anonymous=LOGIN, city_admin=200)

ROWS = [
    Row("orgs:list", ORG_VIEW),
    Row("orgs:reference", ORG_VIEW),
    Row("orgs:create", CITY_ONLY),
    Row("orgs:edit", CITY_ONLY, kwargs=lambda w: {"code": w.body.code}),
    Row("orgs:town_create", CITY_ONLY),
    Row("orgs:town_edit", CITY_ONLY, kwargs=lambda w: {"pk": w.town.pk}),
    Row("orgs:sector_create", CITY_ONLY),
    Row("orgs:sector_edit", CITY_ONLY, kwargs=lambda w: {"pk": w.sector.pk}),
]
