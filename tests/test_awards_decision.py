"""The decision: titles created (or starred) under the caps, certificates issued, entries
decided, in one transaction; every refusal in Chinese and nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.awards.certificate_numbers import is_well_formed
from qnwmh.awards.models import (
    Certificate,
    EntryStatus,
    Objection,
    ObjectionStatus,
    ShortlistEntry,
)
from qnwmh.awards.selectors.decision import audit_rows, caps_view
from qnwmh.awards.services import decision as service
from qnwmh.collectives.models import Level, Title, TitleStatus
from qnwmh.core.actor import Role
from qnwmh.core.errors import DomainError
from tests import factories as f
from tests import factories_awards as fa
from tests.decision_helpers import inspect, listed_ids, ready_shortlist

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _decide(s, ids, no="中青联〔2026〕8号", **kw):
    city = f.actor(s.frozen_by)
    return service.decide(city, s, ids, document_no=no, decided_on=TODAY, **kw)


def test_decide_creates_titles_certificates_and_decides_entries() -> None:
    b1, b2 = f.body(), f.body()
    s = ready_shortlist([b1, b2], per_body=4)
    ids = listed_ids(s)
    assert len(ids) == 4  # 2 per body: the 2:1 cap of 4 registrations each
    done = _decide(s, ids)
    cycle = s.round.cycle
    titles = Title.objects.filter(level=Level.CITY, collective__shortlist_entries__in=ids)
    assert titles.count() == 4
    for t in titles:
        assert (t.stars, t.session_no, t.year, t.awarded_on) == (
            1,
            cycle.session_no,
            cycle.certification_year,
            TODAY,
        )
    assert len(done.certificates) == 4
    assert all(is_well_formed(c.number) for c in done.certificates)
    assert {e.status for e in ShortlistEntry.objects.filter(pk__in=ids)} == {EntryStatus.DECIDED}
    assert set(ShortlistEntry.objects.filter(pk__in=ids).values_list("decision", flat=True)) == {
        done.decision.pk
    }
    assert AuditEntry.objects.filter(code="awards.decision.made").count() == 1
    view = caps_view(s)
    assert view.decided == 4 and {b.free for b in view.bodies} == {0}


def test_star_review_adds_a_star_and_supersedes_the_old_certificate() -> None:
    b = f.body()
    s = ready_shortlist([b], per_body=2)
    entry = s.entries.get(status=EntryStatus.LISTED)
    old_title = f.title(entry.collective, stars=2)
    first = Certificate.objects.create(
        number="ZS2024000019X", title=old_title, stars=2, issued_on=TODAY
    )
    done = _decide(s, [entry.pk])
    old_title.refresh_from_db()
    first.refresh_from_db()
    assert old_title.stars == 3 and first.superseded_at is not None
    assert done.certificates[0].title == old_title and done.certificates[0].stars == 3


def test_at_three_stars_the_title_stays_and_says_so() -> None:
    b = f.body()
    s = ready_shortlist([b], per_body=2)
    entry = s.entries.get(status=EntryStatus.LISTED)
    t = f.title(entry.collective, stars=3)
    done = _decide(s, [entry.pk])
    t.refresh_from_db()
    assert t.stars == 3
    assert "星级保持不变" in done.notes[0]


def _nothing_changed(s) -> None:
    assert not s.entries.filter(status=EntryStatus.DECIDED).exists()
    assert not Certificate.objects.exists()


def test_refuses_over_a_body_cap_and_changes_nothing() -> None:
    b = f.body()
    s = ready_shortlist([b], per_body=4, listed=3)  # 3 listed, cap 2
    with pytest.raises(DomainError, match="认定名额上限为 2 个"):
        _decide(s, listed_ids(s))
    _nothing_changed(s)


def test_refuses_over_the_cap_across_two_decisions() -> None:
    b = f.body()
    s = ready_shortlist([b], per_body=4, listed=3)
    ids = listed_ids(s)
    _decide(s, ids[:2], no="一号")
    with pytest.raises(DomainError, match="已认定 2 个"):
        _decide(s, ids[2:], no="二号")


def test_refuses_twice_the_same_entry_and_a_used_number() -> None:
    s = ready_shortlist([f.body()], per_body=4)
    ids = listed_ids(s)
    _decide(s, ids[:1], no="一号")
    with pytest.raises(DomainError, match="不能重复认定"):
        _decide(s, ids[:1], no="二号")
    with pytest.raises(DomainError, match="已被另一项认定决定使用"):
        _decide(s, ids[1:], no="一号")


def test_refuses_an_entry_failing_a_check() -> None:
    r, _apps = fa.scored_round([f.body()], per_body=4)
    s = fa.shortlist(r)
    ids = listed_ids(s)
    with pytest.raises(DomainError, match="尚未考察"):
        _decide(s, ids)
    inspect(s)
    with pytest.raises(DomainError, match="未经公示"):
        _decide(s, ids)
    fa.notice(s)
    with pytest.raises(DomainError, match="公示尚未结束"):
        _decide(s, ids)
    _nothing_changed(s)


def test_an_undecided_objection_blocks_the_entry() -> None:
    s = ready_shortlist([f.body()], per_body=4)
    entry = s.entries.filter(status=EntryStatus.LISTED).first()
    item = entry.notice_items.get()
    obj = Objection.objects.create(
        item=item, contact_name="王五", contact_phone="13800000000", text="有异议", due_on=TODAY
    )
    rows = {r.entry.pk: r for r in audit_rows(s)}
    assert rows[entry.pk].failures == ["有异议尚未办结"]
    with pytest.raises(DomainError, match="有异议尚未办结"):
        _decide(s, [entry.pk])
    obj.status = ObjectionStatus.DECIDED
    obj.save()
    assert _decide(s, [entry.pk]).decision.entries.count() == 1


def test_a_removed_entry_cannot_be_decided() -> None:
    s = ready_shortlist([f.body()], per_body=4)
    entry = s.entries.filter(status=EntryStatus.RESERVE).first()
    with pytest.raises(DomainError, match="不在本名单的拟认定对象中"):
        _decide(s, [entry.pk])


def test_only_city_staff_decide() -> None:
    b = f.body()
    s = ready_shortlist([b], per_body=4)
    body_admin = f.actor(f.user(None, Role.BODY_ADMIN, organisation=b))
    with pytest.raises(Exception):  # noqa: B017 - the permission layer's own error
        service.decide(body_admin, s, listed_ids(s), document_no="x", decided_on=TODAY)
    _nothing_changed(s)


def test_ended_title_is_not_starred_a_new_one_is_awarded() -> None:
    s = ready_shortlist([f.body()], per_body=2)
    entry = s.entries.get(status=EntryStatus.LISTED)
    t = f.title(
        entry.collective, status=TitleStatus.EXPIRED, ended_on=TODAY - datetime.timedelta(days=1)
    )
    done = _decide(s, [entry.pk])
    assert done.certificates[0].title != t and done.certificates[0].stars == 1


def test_managers_and_body_admins_are_told_after_commit(django_capture_on_commit_callbacks) -> None:
    from qnwmh.notices.models import Notice

    b = f.body()
    s = ready_shortlist([b], per_body=2)
    entry = s.entries.get(status=EntryStatus.LISTED)
    manager = f.user(None, Role.COLLECTIVE_MANAGER, collective=entry.collective)
    admin = f.user(None, Role.BODY_ADMIN, organisation=b)
    with django_capture_on_commit_callbacks(execute=True):
        done = _decide(s, [entry.pk])
    told = Notice.objects.get(recipient=manager)
    assert done.certificates[0].number in told.text
    assert entry.collective.name in Notice.objects.get(recipient=admin).text
