"""The caps a shortlist and a decision must hold: per managing body the smaller of its
remaining quota and the 2:1 cap, and the city-wide 2:1 floor as a check.

A body's cap is ``min(quota, floor(accepted ÷ ratio))`` where ``accepted`` counts its accepted
or filed registrations in the cycle; ``remaining`` subtracts the places its entries already
hold (listed or decided). The city-wide ``floor(all accepted ÷ ratio)`` is never extra room:
the body caps bind, and their sum can only be at or below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from qnwmh.cycles.arithmetic import cap_for
from qnwmh.cycles.models import COUNTED_STATUSES, Cycle, Quota, Registration


@dataclass(frozen=True)
class BodyCap:
    body_id: int
    quota: int
    accepted: int

    def cap(self, ratio: int) -> int:
        return min(self.quota, cap_for(self.accepted, ratio))


@dataclass(frozen=True)
class Caps:
    ratio: int
    accepted: int  # the city's accepted or filed registrations
    bodies: dict[int, BodyCap]

    @property
    def city_cap(self) -> int:
        return cap_for(self.accepted, self.ratio)

    def body_cap(self, body_id: int) -> int:
        """0 for a body with no quota or no registrations: it has no place to fill."""
        b = self.bodies.get(body_id)
        return b.cap(self.ratio) if b else 0

    @property
    def sum_of_body_caps(self) -> int:
        return sum(b.cap(self.ratio) for b in self.bodies.values())

    def as_json(self) -> dict:
        return {
            "ratio": self.ratio,
            "city": {
                "accepted": self.accepted,
                "cap": self.city_cap,
                "sum_of_body_caps": self.sum_of_body_caps,
            },
            "bodies": {
                str(b.body_id): {"quota": b.quota, "accepted": b.accepted, "cap": b.cap(self.ratio)}
                for b in self.bodies.values()
            },
        }


def caps_for(cycle: Cycle) -> Caps:
    """Two queries whatever the number of bodies."""
    ratio = int(cycle.rule("registration_ratio", 2))
    accepted = dict(
        Registration.objects.filter(cycle=cycle, status__in=COUNTED_STATUSES)
        .values("body_id")
        .annotate(n=Count("id"))
        .values_list("body_id", "n")
    )
    quotas = {q.body_id: q.final for q in Quota.objects.filter(cycle=cycle)}
    bodies = {
        body_id: BodyCap(body_id, quotas.get(body_id, 0), accepted.get(body_id, 0))
        for body_id in set(accepted) | set(quotas)
    }
    return Caps(ratio=ratio, accepted=sum(accepted.values()), bodies=bodies)
