"""Creating memberships and month counts: the rows the services keep equal a rebuild from the
records after any sequence of writes. A write path that forgets them would silently drop a
collective from the compliance pages, so a seeded random walk drives the real services
(titles awarded and ended, registrations filed and withdrawn, collectives moved and renamed,
entries created, given evidence and corrected, a new cycle) and compares after every step."""

from __future__ import annotations

import datetime
import io
import random
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from qnwmh.collectives import services as collectives
from qnwmh.collectives.models import Collective, Level, Title, TitleStatus
from qnwmh.collectives.signals import collectives_changed
from qnwmh.core.collation import pinyin_key
from qnwmh.core.errors import DomainError
from qnwmh.creation import services
from qnwmh.creation.models import CreationMember, CreationMonth, CreationTally, LogEntry
from qnwmh.creation.selectors import body_summaries, creating_collectives
from qnwmh.cycles.models import Registration, RegistrationStatus
from tests import creation_helpers as ch
from tests import factories as f

TODAY = timezone.localdate()


def kept() -> tuple[set[Any], set[Any], set[Any]]:
    members = set(
        CreationMember.objects.values_list(
            "collective_id", "cycle_id", "body_id", "sort_key", "titled", "registered", "required"
        )
    )
    months = set(CreationMonth.objects.values_list("collective_id", "cycle_id", "month", "weeks"))
    tallies = {
        (t.collective_id, t.cycle_id, t.required, tuple(sorted(t.open_weeks.items())))
        for t in CreationTally.objects.all()
    }
    return members, months, tallies


def assert_kept_equals_a_rebuild(step: str = "") -> None:
    before = kept()
    call_command("rebuild_tallies", stdout=io.StringIO())
    after = kept()
    for name, b, a in zip(("members", "months", "tallies"), before, after, strict=True):
        assert b == a, f"{name} after {step}: kept-only {b - a}, rebuilt-only {a - b}"


def expected_members(cycle: Any) -> set[int]:
    """The definition, read from the records: an active title, or a counted registration."""
    titled = set(
        Title.objects.filter(status=TitleStatus.ACTIVE).values_list("collective_id", flat=True)
    )
    registered = set(Registration.objects.counted(cycle).values_list("collective_id", flat=True))
    return titled | registered


class Walk:
    """One random step at a time, each through the service a user's request would call."""

    def __init__(self, world: Any, rnd: random.Random) -> None:
        self.world = world
        self.rnd = rnd
        self.city = world.actor("city_admin")
        self.cycle = ch.cycle()
        self.cycles = [self.cycle]
        self.bodies = [world.body, world.other_body]
        self.collectives = [world.collective, world.other_collective] + [
            f.collective(self.rnd.choice(self.bodies), members=8) for _ in range(3)
        ]

    def pick(self) -> Collective:
        return Collective.objects.get(pk=self.rnd.choice(self.collectives).pk)

    def award(self) -> str:
        c = self.pick()
        level = self.rnd.choice([Level.CITY, Level.PROVINCIAL])
        collectives.title_award(
            self.city,
            collective=c,
            level=level,
            session_no=21,
            year=2024,
            awarded_on=datetime.date(2024, 12, 1),
        )
        return f"award {c.pk} {level}"

    def end_title(self) -> str:
        title = (
            Title.objects.filter(status=TitleStatus.ACTIVE, collective__in=self.collectives)
            .order_by("?")
            .first()
        )
        if title is None:
            return "no title to end"
        end = self.rnd.choice([collectives.title_revoke, collectives.title_expire])
        end(self.city, title=title, reason="测试")
        return f"{end.__name__} {title.collective_id}"

    def register(self) -> str:
        c = self.pick()
        cycle = self.rnd.choice(self.cycles)
        live = Registration.objects.filter(collective=c, cycle=cycle).first()
        if live is None:
            status = self.rnd.choice(
                [
                    RegistrationStatus.SUBMITTED,
                    RegistrationStatus.ACCEPTED,
                    RegistrationStatus.FILED,
                ]
            )
            ch.register(c, cycle, status=status)
            return f"register {c.pk} {status}"
        # A review or withdrawal: what the registration services save.
        live.status = self.rnd.choice(
            [RegistrationStatus.WITHDRAWN, RegistrationStatus.FILED, RegistrationStatus.RETURNED]
        )
        live.save()
        return f"registration {c.pk} -> {live.status}"

    def move(self) -> str:
        c = self.pick()
        body = self.rnd.choice([b for b in self.bodies if b.pk != c.body_id])
        collectives.collective_update(
            self.city, collective=c, values={"body": body, "town": body.town}
        )
        return f"move {c.pk} to {body.pk}"

    def rename(self) -> str:
        c = self.pick()
        name = f"{self.rnd.choice(['阿', '中', '竹', '新'])}{c.pk}号青年集体"
        collectives.collective_update(self.city, collective=c, values={"name": name})
        return f"rename {c.pk}"

    def bulk_rename(self) -> str:
        """An import's bulk update, which announces the ids it changed."""
        c = self.pick()
        name = f"导入{self.rnd.randint(1, 99)}号集体"
        Collective.objects.filter(pk=c.pk).update(name=name, sort_key=pinyin_key(name))
        collectives_changed.send(sender=Collective, ids=[c.pk])
        return f"bulk rename {c.pk}"

    def entry(self) -> str:
        creating = list(expected_members(self.cycle))
        c = self.pick()
        if creating and self.rnd.random() < 0.8:  # mostly one that may log
            c = Collective.objects.get(pk=self.rnd.choice(creating))
        kind = self.rnd.choice(["open_week", "job_drill", "meeting"])
        day = TODAY - datetime.timedelta(days=self.rnd.randint(0, 120))
        day = max(day, self.cycle.registration_opens_on)
        ch.entry(
            self.world,
            self.cycle,
            kind=kind,
            on=day,
            n_photos=self.rnd.choice([0, 1]),
            collective=c,
            role="city_admin",
        )
        return f"entry {c.pk} {kind} {day}"

    def attach(self) -> str:
        entry = LogEntry.objects.filter(evidence_count=0).order_by("?").first()
        if entry is None:
            return "no entry without evidence"
        services.entry_attach(self.city, entry=entry, files=ch.photos(1, self.rnd.randint(1, 99)))
        return f"attach {entry.collective_id}"

    def correct(self) -> str:
        entry = LogEntry.objects.order_by("?").first()
        if entry is None:
            return "no entry"
        kind = "job_drill" if entry.kind == "open_week" else "open_week"
        values = {name: getattr(entry, name) for name in services.ENTRY_FIELDS}
        values["kind"] = kind
        values["occurred_on"] = max(
            self.cycle.registration_opens_on, entry.occurred_on - datetime.timedelta(days=31)
        )
        services.entry_correct(self.city, entry=entry, values=values, reason="更正")
        return f"correct {entry.collective_id} -> {kind}"

    def new_cycle(self) -> str:
        if len(self.cycles) > 1:
            return "one new cycle is enough"
        from qnwmh.cycles.services.cycle import cycle_create

        year = self.cycle.registration_year + 2
        cycle = cycle_create(
            self.city,
            values={
                "session_no": self.cycle.session_no + 2,
                "registration_year": year,
                "registration_opens_on": datetime.date(year, 1, 1),
                "registration_closes_on": datetime.date(year, 3, 31),
                "creation_ends_on": datetime.date(year + 1, 4, 30),
                "certification_starts_on": datetime.date(year + 1, 5, 1),
                "certification_ends_on": datetime.date(year + 1, 12, 31),
            },
        )
        self.cycles.append(cycle)
        return f"new cycle {cycle.pk}"

    STEPS = (
        "award",
        "end_title",
        "register",
        "move",
        "rename",
        "bulk_rename",
        "entry",
        "entry",
        "attach",
        "correct",
        "new_cycle",
    )

    def step(self) -> str:
        name = self.rnd.choice(self.STEPS)
        try:
            return getattr(self, name)()
        except DomainError as exc:  # a refused write changes nothing; the rows must agree
            return f"{name} refused: {exc}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_rows_equal_a_rebuild_after_random_service_calls(world: Any, seed: int):
    walk = Walk(world, random.Random(seed))
    steps = []
    for _ in range(40):
        steps.append(walk.step())
        assert_kept_equals_a_rebuild(" / ".join(steps[-3:]))
        city = world.actor("city_admin")
        for cycle in walk.cycles:
            kept_summary = body_summaries(city, cycle)  # body rows kept under their stamps
            cache.clear()
            assert body_summaries(city, cycle) == kept_summary, steps[-1]
            rows = set(
                CreationMember.objects.filter(cycle=cycle).values_list("collective_id", flat=True)
            )
            assert rows == expected_members(cycle), steps[-1]
    done = [s for s in steps if "refused" not in s and not s.startswith("no ")]
    assert len(done) >= 25, steps  # the walk wrote, it was not refused throughout


def test_each_write_path_moves_the_row(world: Any):
    cycle = ch.cycle()
    city = world.actor("city_admin")
    c = world.other_collective

    def row() -> Any:
        return CreationMember.objects.filter(collective=c, cycle=cycle).first()

    assert row() is None  # neither titled nor registered
    reg = ch.register(c, cycle)
    assert (row().registered, row().titled, row().body_id) == (True, False, c.body_id)
    title = collectives.title_award(
        city, collective=c, level=Level.CITY, session_no=21, year=2024, awarded_on=TODAY
    )
    assert row().titled
    reg.status = RegistrationStatus.WITHDRAWN
    reg.save()
    assert (row().registered, row().titled) == (False, True)
    ch.entry(world, cycle, kind="job_drill", on=TODAY, collective=c, role="city_admin")
    assert row().required == 1
    collectives.collective_update(
        city, collective=c, values={"body": world.body, "town": world.body.town}
    )
    assert row().body_id == world.body.pk
    collectives.title_revoke(city, title=title, reason="撤销")
    assert row() is None


def test_a_refresh_that_changes_nothing_keeps_the_summary_cached(world: Any):
    from qnwmh.creation.membership import refresh
    from qnwmh.creation.stamps import stamps_of

    cycle = ch.cycle()
    c = world.other_collective
    ch.register(c, cycle)
    before = stamps_of(cycle.pk)[c.body_id]
    refresh(c.pk)
    assert stamps_of(cycle.pk)[c.body_id] == before
    Registration.objects.filter(collective=c).update(status=RegistrationStatus.WITHDRAWN)
    refresh(c.pk)
    assert stamps_of(cycle.pk)[c.body_id] != before


def test_rebuild_command_restores_deleted_rows(world: Any):
    cycle = ch.cycle()
    ch.register(world.other_collective, cycle)
    ch.entry(world, cycle, kind="open_week", on=TODAY)
    before = kept()
    assert before[0] and before[1] and before[2]
    CreationMember.objects.all().delete()
    CreationMonth.objects.all().delete()
    CreationTally.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert kept() == before
    assert out.getvalue() == "1 tallies rebuilt\n"


def test_the_lists_read_the_members(world: Any):
    cycle = ch.cycle()
    ch.register(world.other_collective, cycle)
    city = world.actor("city_admin")
    ids = set(creating_collectives(city, cycle).values_list("id", flat=True))
    assert ids == {world.collective.pk, world.other_collective.pk}  # titled, registered
    by_body = {s.body.pk: s for s in body_summaries(city, cycle)}
    assert (by_body[world.body.pk].titled, by_body[world.body.pk].registered) == (1, 0)
    assert (by_body[world.other_body.pk].titled, by_body[world.other_body.pk].registered) == (0, 1)
