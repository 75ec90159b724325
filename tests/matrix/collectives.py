"""Collectives: the body's own collective is visible to the city, the body and its manager;
the outsider body and the reviewer get 404 (they cannot know it exists)."""

from tests.matrix import LOGIN, Row, expect

CODE = {"kwargs": lambda w: {"code": w.collective.code}}
SEE = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200)
EDIT_ROSTER = SEE
# Only league staff decide titles: the manager sees the collective but may not touch titles.
TITLES = expect(404, anonymous=LOGIN, city_admin=302, body_admin=403, manager=403)

ROWS = [
    Row(
        "collectives:list",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, manager=200),
        permission="collectives.view_list",
    ),
    Row(
        "collectives:create",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200),
        permission="collectives.create",
    ),
    Row("collectives:detail", SEE, **CODE, permission=None),
    Row("collectives:edit", SEE, **CODE, permission="collectives.edit"),
    Row(
        "collectives:archive",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=302, manager=403),
        method="post",
        data=lambda w: {"reason": "机构撤并"},
        **CODE,
        permission="collectives.archive",
    ),
    Row("collectives:member_add", EDIT_ROSTER, **CODE, permission="collectives.edit_roster"),
    Row(
        "collectives:member_edit",
        EDIT_ROSTER,
        kwargs=lambda w: {"code": w.collective.code, "member_id": w.member.pk},
        permission="collectives.edit_roster",
    ),
    Row(
        "collectives:member_remove",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=302, manager=302),
        kwargs=lambda w: {"code": w.collective.code, "member_id": w.member.pk},
        method="post",
        permission="collectives.edit_roster",
    ),
    Row(
        "collectives:title_award",
        TITLES,
        method="post",
        **CODE,
        permission="collectives.manage_titles",
    ),
    Row(
        "collectives:title_end",
        TITLES,
        method="post",
        kwargs=lambda w: {"code": w.collective.code, "title_code": w.title.code},
        data=lambda w: {"outcome": "revoked", "reason": "复核不合格"},
        permission="collectives.manage_titles",
    ),
    Row(
        "collectives:title_stars",
        TITLES,
        method="post",
        kwargs=lambda w: {"code": w.collective.code, "title_code": w.title.code},
        data=lambda w: {"stars": 2, "reason": "星级评定"},
        permission="collectives.manage_titles",
    ),
]
