"""The quantified standard: versions copied from the year's or the previous year's latest, else
the defaults; marks and items checked; a frozen standard refuses every edit, nothing changed;
every act audited. Pages: city edits, bodies read, query counts constant."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from qnwmh.audit.models import AuditEntry
from qnwmh.core.errors import DomainError
from qnwmh.oversight import defaults
from qnwmh.oversight.models import Metric, Source, Standard, StandardItem
from qnwmh.oversight.services import standard as services
from tests import factories_oversight as fo

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(world):
    return world.actor("city_admin")


def _labels(s: Standard) -> list[str]:
    return list(s.items.order_by("position").values_list("label", flat=True))


# Versions ---------------------------------------------------------------------------------------


def test_first_version_takes_the_defaults(world, city):
    s = services.create(city, year=2031)
    assert (s.year, s.version) == (2031, 1)
    assert _labels(s) == [str(d.label) for d in defaults.ITEMS]
    assert (s.pass_mark, s.warning_mark, s.star_down_mark) == (
        defaults.PASS_MARK,
        defaults.WARNING_MARK,
        defaults.STAR_DOWN_MARK,
    )
    assert "2031" in s.name
    assert AuditEntry.objects.filter(
        code="oversight.standard.created", object_id=str(s.pk)
    ).exists()


def test_next_version_copies_the_years_latest(world, city):
    first = fo.standard(2032, pass_mark=85, warning_mark=75, star_down_mark=65)
    second = services.create(city, year=2032, name="修订版")
    assert second.version == 2
    assert second.name == "修订版"
    assert _labels(second) == _labels(first)
    assert second.pass_mark == 85
    # The copy is its own rows: editing it leaves the first untouched.
    services.update_item(city, second.items.get(position=1), label="新项目")
    assert first.items.get(position=1).label == fo.ITEMS[0][0]


def test_new_year_copies_the_previous_years_latest(world, city):
    fo.standard(2033)
    older = services.create(city, year=2033)
    services.update(city, older, pass_mark=90, warning_mark=80, star_down_mark=70)
    new = services.create(city, year=2034)
    assert (new.version, new.pass_mark) == (1, 90)
    assert _labels(new) == _labels(older)


def test_new_version_from_a_chosen_one(world, city):
    a = fo.standard(2035)
    b = services.create(city, year=2036, based_on=a)
    assert _labels(b) == _labels(a)


def test_year_must_be_sane(world, city):
    with pytest.raises(DomainError):
        services.create(city, year=1999)


def test_only_the_city_creates(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create(world.actor("body_admin"), year=2031)


# Marks and items --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "marks",
    [
        {"pass_mark": 70, "warning_mark": 80, "star_down_mark": 60},
        {"pass_mark": 80, "warning_mark": 60, "star_down_mark": 70},
        {"pass_mark": 101, "warning_mark": 70, "star_down_mark": 60},  # above the 100 points
        {"pass_mark": 80, "warning_mark": 70, "star_down_mark": -1},
    ],
)
def test_marks_out_of_order_or_unreachable_are_refused(world, city, marks):
    s = fo.standard(2037)
    with pytest.raises(DomainError):
        services.update(city, s, **marks)
    s.refresh_from_db()
    assert (s.pass_mark, s.warning_mark, s.star_down_mark) == (80, 70, 60)


def test_marks_and_header_change(world, city):
    s = fo.standard(2037)
    services.update(city, s, name=" 新名称 ", pass_mark=90, warning_mark=90, star_down_mark=0)
    s.refresh_from_db()
    assert (s.name, s.pass_mark, s.star_down_mark) == ("新名称", 90, 0)
    entry = AuditEntry.objects.get(code="oversight.standard.updated", object_id=str(s.pk))
    assert entry.after["pass_mark"] == 90


@pytest.mark.parametrize(
    "values",
    [
        {"label": "", "points": 5, "source": Source.SELF},
        {"label": "x", "points": 0, "source": Source.SELF},
        {"label": "x", "points": 5, "source": Source.COMPUTED},  # no metric
        {"label": "x", "points": 5, "source": Source.BODY, "metric": Metric.RATINGS},
        {"label": "x", "points": 5, "source": "nobody"},
    ],
)
def test_bad_items_are_refused(world, city, values):
    s = fo.standard(2038)
    with pytest.raises(DomainError):
        services.add_item(city, s, **values)
    assert s.items.count() == len(fo.ITEMS)


def test_add_edit_move_remove(world, city):
    s = fo.standard(2039)
    item = services.add_item(
        city, s, label="志愿服务", points=5, source=Source.COMPUTED, metric=Metric.RATINGS
    )
    assert item.position == len(fo.ITEMS) + 1
    services.move_item(city, item, to=1)
    assert _labels(s)[0] == "志愿服务"
    assert list(s.items.order_by("position").values_list("position", flat=True)) == list(
        range(1, len(fo.ITEMS) + 2)
    )
    services.update_item(city, item, source=Source.SELF, metric="")
    item.refresh_from_db()
    assert (item.source, item.metric) == (Source.SELF, "")
    services.remove_item(city, item)
    assert not StandardItem.objects.filter(pk=item.pk).exists()
    assert _labels(s) == [label for label, *_ in fo.ITEMS]
    codes = set(AuditEntry.objects.filter(object_id=str(s.pk)).values_list("code", flat=True))
    assert {
        "oversight.standard.item_added",
        "oversight.standard.item_moved",
        "oversight.standard.item_changed",
        "oversight.standard.item_removed",
    } <= codes


def test_removing_below_the_pass_mark_is_refused(world, city):
    s = fo.standard(2040)  # 100 points, pass 80
    with pytest.raises(DomainError, match="合格分"):
        services.remove_item(city, s.items.get(position=1))  # 20 points: total 80, still ok
        services.remove_item(city, s.items.get(position=1))  # 20 more: 60 < 80
    assert s.items.count() == len(fo.ITEMS) - 1


def test_a_frozen_standard_refuses_every_edit(world, city):
    s = fo.standard(2041, frozen=True)
    item = s.items.get(position=1)
    before = list(s.items.values_list("id", "position", "label", "points"))
    attempts = [
        lambda: services.update(city, s, name="改名"),
        lambda: services.add_item(city, s, label="x", points=1, source=Source.SELF),
        lambda: services.update_item(city, item, points=1),
        lambda: services.move_item(city, item, to=3),
        lambda: services.remove_item(city, item),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError, match="冻结"):
            attempt()
    s.refresh_from_db()
    assert s.name.startswith("2041")
    assert list(s.items.values_list("id", "position", "label", "points")) == before
    assert not AuditEntry.objects.filter(code__startswith="oversight.standard.").exists()


def test_a_new_version_of_a_frozen_one_is_a_draft(world, city):
    s = fo.standard(2042, frozen=True)
    new = services.create(city, year=2042, based_on=s)
    assert new.version == 2 and not new.frozen
    services.update(city, new, name="可修改")


# Pages ------------------------------------------------------------------------------------------


def test_list_and_detail_for_city_and_body(world):
    s = fo.standard(2043, frozen=True)
    for role in ("city_admin", "body_admin"):
        c = world.client(role)
        assert c.get(reverse("oversight:standards")).status_code == 200
        page = c.get(reverse("oversight:standard", args=[s.code]))
        assert page.status_code == 200
        assert 'data-testid="frozen"' in page.content.decode()
    assert world.client("manager").get(reverse("oversight:standards")).status_code == 403


def test_list_queries_do_not_grow(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = world.client("city_admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("oversight:standards")).status_code == 200
        return len(ctx.captured_queries)

    fo.standard(2044)
    small = count()
    for y in range(2045, 2050):
        fo.standard(y, frozen=True)
    assert count() == small


def test_detail_shows_sources_totals_and_the_review(world):
    r = fo.review([fo.city_title(world.body)], year=2050)
    s = r.standard
    html = world.client("body_admin").get(reverse("oversight:standard", args=[s.code])).content
    text = html.decode()
    assert "合计 20 分" in text  # the self-report items
    assert "合计 60 分" in text  # the computed items
    assert str(r) in text
    assert "修改</a>" not in text  # frozen, and a body only reads


def test_city_edits_through_the_pages(world):
    c = world.client("city_admin")
    response = c.post(reverse("oversight:standard_create"), {"year": 2051, "name": ""})
    s = Standard.objects.get(year=2051)
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("oversight:standard_edit", args=[s.code])
    )
    assert c.get(reverse("oversight:standard_edit", args=[s.code])).status_code == 200
    c.post(
        reverse("oversight:standard_edit", args=[s.code]),
        {"name": "新标准", "pass_mark": 75, "warning_mark": 70, "star_down_mark": 60},
    )
    s.refresh_from_db()
    assert (s.name, s.pass_mark) == ("新标准", 75)
    response = c.post(
        reverse("oversight:standard_item_add", args=[s.code]),
        {"label": "新增项目", "points": 5, "source": "self"},
    )
    assert response.status_code == 302
    item = s.items.get(label="新增项目")
    c.post(reverse("oversight:standard_item_move", args=[s.code, item.pk]), {"to": 1})
    assert s.items.get(position=1).label == "新增项目"
    c.post(
        reverse("oversight:standard_item", args=[s.code, item.pk]),
        {"label": "改名项目", "points": 6, "source": "body"},
    )
    item.refresh_from_db()
    assert (item.label, item.points, item.source) == ("改名项目", 6, "body")
    c.post(reverse("oversight:standard_item_remove", args=[s.code, item.pk]), {"confirmed": "1"})
    assert not s.items.filter(pk=item.pk).exists()
    # A bad item shows the refusal on the form, nothing added.
    response = c.post(
        reverse("oversight:standard_item_add", args=[s.code]),
        {"label": "计算项", "points": 5, "source": "computed"},
    )
    assert response.status_code == 400
    assert "计算指标" in response.content.decode()


def test_frozen_edit_page_sends_back(world):
    s = fo.standard(2052, frozen=True)
    c = world.client("city_admin")
    response = c.get(reverse("oversight:standard_edit", args=[s.code]))
    assert response.status_code == 302
    response = c.post(
        reverse("oversight:standard_item_add", args=[s.code]),
        {"label": "x", "points": 5, "source": "self"},
    )
    assert response.status_code == 400 and "冻结" in response.content.decode()


def test_copy_and_export(world):
    s = fo.standard(2053, frozen=True)
    c = world.client("city_admin")
    response = c.post(reverse("oversight:standard_copy", args=[s.code]), {"year": 2054})
    new = Standard.objects.get(year=2054)
    assert response.status_code == 302 and not new.frozen
    response = world.client("body_admin").get(reverse("oversight:standard_export", args=[s.code]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1] == fo.ITEMS[0][0]
    assert len(rows) == len(fo.ITEMS) + 1
    assert AuditEntry.objects.filter(code="oversight.standard.exported").exists()
