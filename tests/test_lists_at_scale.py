"""Issue 15, the key lists at scale: the re-review cases keep their sort keys (the body's name,
the collective's sort key) so one index serves a page, and a rename re-sorts them at once; the
lists that now fetch a page's ids first keep their order and contents; the filter bars offer
the same options as before."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qnwmh.collectives.models import Collective, Level, Ownership
from qnwmh.collectives.selectors import filter_choices
from qnwmh.collectives.services import collective_update
from qnwmh.collectives.signals import collectives_changed
from qnwmh.core.collation import pinyin_key
from qnwmh.orgs.services import organisation_update
from qnwmh.oversight.models import AnnualReview
from tests import factories as f
from tests import factories_oversight as fo
from tests import supervision_builders as sb
from tests.querycount import assert_constant_queries


def _city_title(body: Any, name: str) -> Any:
    return f.title(f.collective(body, name=name), Level.CITY, year=2024, session_no=22)


def _campaign(world: Any) -> tuple[AnnualReview, list[Any]]:
    titles = [
        _city_title(world.body, name) for name in ("丙组服务队", "甲组服务队", "乙组服务队")
    ] + [_city_title(world.other_body, "丁组服务队")]
    return fo.review(titles, year=2030), titles


def _listed(world: Any, r: AnnualReview, query: str = "") -> list[str]:
    page = world.client("city_admin").get(reverse("oversight:review_cases", args=[r.code]) + query)
    return [c.collective.name for c in page.context["page"]]


def _expected(r: AnnualReview) -> list[str]:
    """The order the list always had: the body's name, then the collective's sort key."""
    cases = r.cases.select_related("body", "collective")
    ordered = sorted(cases, key=lambda c: (c.body.name, c.collective.sort_key, c.id))
    return [c.collective.name for c in ordered]


def test_cases_carry_the_keys_of_their_body_and_collective(world: Any) -> None:
    r, _ = _campaign(world)
    for case in r.cases.select_related("body", "collective"):
        assert case.body_name == case.body.name
        assert case.collective_key == case.collective.sort_key
    assert _listed(world, r) == _expected(r)
    mine = _listed(world, r, f"?body={world.body.pk}")
    assert mine == sorted(["丙组服务队", "甲组服务队", "乙组服务队"], key=pinyin_key)


def test_renaming_a_collective_re_sorts_its_cases(world: Any) -> None:
    r, titles = _campaign(world)
    before = _listed(world, r, f"?body={world.body.pk}")
    assert before == sorted(["丙组服务队", "甲组服务队", "乙组服务队"], key=pinyin_key)
    collective_update(
        world.actor("city_admin"), collective=titles[1].collective, values={"name": "庚组服务队"}
    )
    case = r.cases.get(collective=titles[1].collective)
    assert case.collective_key == pinyin_key("庚组服务队")
    after = _listed(world, r, f"?body={world.body.pk}")
    assert after == sorted(["丙组服务队", "庚组服务队", "乙组服务队"], key=pinyin_key)
    assert after != before and _listed(world, r) == _expected(r)


def test_renaming_a_body_re_sorts_its_cases(world: Any) -> None:
    r, _ = _campaign(world)
    last = r.cases.get(collective__name=_listed(world, r)[-1]).body
    new_name = "A" + last.name
    organisation_update(world.actor("city_admin"), org=last, fields={"name": new_name})
    assert set(r.cases.filter(body=last).values_list("body_name", flat=True)) == {new_name}
    assert _listed(world, r) == _expected(r)
    assert r.cases.get(collective__name=_listed(world, r)[0]).body == last


def test_a_bulk_rename_announced_by_collectives_changed_re_sorts_the_cases(world: Any) -> None:
    # The import's bulk path sends the signal; without the receiver the case keeps its old key.
    r, titles = _campaign(world)
    c = titles[0].collective
    Collective.objects.filter(pk=c.pk).update(name="戊组服务队", sort_key=pinyin_key("戊组服务队"))
    collectives_changed.send(sender=Collective, ids=[c.pk])
    assert r.cases.get(collective=c).collective_key == pinyin_key("戊组服务队")
    assert _listed(world, r) == _expected(r)


def test_a_save_leaving_the_name_out_touches_no_case(world: Any, django_assert_num_queries) -> None:
    _, titles = _campaign(world)
    c = titles[0].collective
    with django_assert_num_queries(1):
        c.save(update_fields=["member_count"])


def test_the_complaints_list_keeps_its_order_and_costs_constant_queries(world: Any) -> None:
    client = world.client("city_admin")
    made = [sb.complaint(world.collective, days_ago=d) for d in (3, 1, 2)]
    page = client.get(reverse("supervision:list")).context["page"]
    listed = [c.code for c in page.object_list]
    newest_first = sorted(made, key=lambda c: (c.received_at, c.id), reverse=True)
    assert listed[:3] == [c.code for c in newest_first]
    assert page.object_list[0].collective.name == world.collective.name

    def grow() -> None:
        for _ in range(5):
            sb.complaint(world.other_collective, handler=world.users["body_admin"])

    for role in ("city_admin", "body_admin"):
        who = world.client(role)
        assert_constant_queries(lambda who=who: who.get(reverse("supervision:list")), grow)


def test_the_collectives_list_keeps_its_order_and_rows(world: Any) -> None:
    for name in ("丙组集体", "甲组集体", "乙组集体"):
        f.title(f.collective(world.body, name=name))
    page = world.client("city_admin").get(reverse("collectives:list")).context["page"]
    rows = list(page.object_list)
    expected = list(Collective.objects.order_by("sort_key", "id")[: len(rows)])
    assert [c.pk for c in rows] == [c.pk for c in expected]
    assert all(hasattr(c, "active_titles") for c in rows)


def test_the_filter_bar_offers_what_occurs_in_scope(world: Any) -> None:
    f.collective(world.body, ownership=Ownership.NON_PUBLIC)
    for role in ("city_admin", "body_admin"):
        actor = world.actor(role)
        choices = filter_choices(actor)
        scoped = Collective.objects.all()
        if role == "body_admin":
            scoped = scoped.filter(body_id__in=actor.body_ids)
        owned = set(scoped.values_list("ownership", flat=True))
        assert {c[0] for c in choices["ownerships"]} == (owned if len(owned) > 1 else set())
        states = set(scoped.values_list("eligibility", flat=True))
        assert {c[0] for c in choices["eligibilities"]} == (states if len(states) > 1 else set())
        towns = set(scoped.values_list("town_id", flat=True))
        assert {pk for pk, _ in choices["towns"]} == (towns if len(towns) > 1 else set())
        bodies = set(scoped.values_list("body_id", flat=True))
        assert {pk for pk, _ in choices["bodies"]} == (bodies if len(bodies) > 1 else set())
        assert choices["narrowable"] is (scoped.count() > 1)
    # A page showing only the body filter asks for nothing else.
    only = filter_choices(world.actor("city_admin"), ("bodies",))
    assert len(only["bodies"]) > 1 and only["narrowable"]
    assert only["towns"] == only["ownerships"] == only["eligibilities"] == []
