"""The spot check's draw, pure and reproducible: the same seed and population give the same
sample on any machine, so a published draw can be checked by anyone.

1. The population is split into strata by (town, sector, ownership).
2. The sample size is ``round(pct% × population)`` (halves round up), at least one when the
   population is not empty.
3. The size is shared among the strata in proportion to their sizes by the largest remainder
   method: each stratum gets the whole part of its exact share, and the units left over go to
   the strata with the largest fractions (ties: by stratum key). So every stratum's count is
   within one of its exact share, and the counts add up to the size.
4. Within a stratum, ``random.Random(f"{seed}:{key}").sample(ids, count)`` over its title ids
   sorted ascending. Python seeds a ``Random`` from a string through SHA-512, which does not
   change between versions or machines.
5. The titles that must be checked (a complaint upheld that year) are added on top of the
   random sample, never counted in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from random import Random
from typing import NamedTuple


class Unit(NamedTuple):
    """One title of the population (a tuple: 100,000 of them are built per re-draw)."""

    title_id: int
    town_id: int
    sector_id: int | None
    ownership: str

    @property
    def key(self) -> str:
        """The stratum's key, as published: ``town-sector-ownership`` (sector 0 when none)."""
        return stratum_key(self.town_id, self.sector_id, self.ownership)


def stratum_key(town_id: int, sector_id: int | None, ownership: str) -> str:
    return f"{town_id}-{sector_id or 0}-{ownership}"


@dataclass(frozen=True)
class Stratum:
    key: str
    town_id: int
    sector_id: int | None
    ownership: str
    size: int
    count: int  # how many of its units the draw takes


def sample_size(population: int, pct: int) -> int:
    """``pct`` percent of ``population``, halves rounded up (in integers, no float error);
    at least one of a population that is not empty."""
    if population <= 0:
        return 0
    return max(1, min(population, (2 * pct * population + 100) // 200))


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Share ``n`` among strata of ``sizes`` by the largest remainder."""
    total = sum(sizes.values())
    if total == 0:
        return dict.fromkeys(sizes, 0)
    counts = {key: n * size // total for key, size in sizes.items()}
    left = n - sum(counts.values())
    # The fraction of key's exact share is (n·size mod total)/total: compare numerators.
    by_fraction = sorted(sizes, key=lambda key: (-(n * sizes[key] % total), key))
    for key in by_fraction[:left]:
        counts[key] += 1
    return counts


def _groups(units: Iterable[Unit]) -> dict[str, list[Unit]]:
    groups: dict[str, list[Unit]] = {}
    for u in units:
        groups.setdefault(stratum_key(u.town_id, u.sector_id, u.ownership), []).append(u)
    return groups


def _strata(groups: dict[str, list[Unit]], pct: int) -> list[Stratum]:
    sizes = {key: len(members) for key, members in groups.items()}
    counts = allocate(sizes, sample_size(sum(sizes.values()), pct))
    out = []
    for key in sorted(groups):
        first = groups[key][0]
        out.append(
            Stratum(key, first.town_id, first.sector_id, first.ownership, sizes[key], counts[key])
        )
    return out


def strata(units: Iterable[Unit], pct: int) -> list[Stratum]:
    """The strata of ``units`` with their sizes and the draw's count in each, by key."""
    return _strata(_groups(units), pct)


def draw(units: Sequence[Unit], pct: int, seed: str) -> list[int]:
    """The random sample's title ids, ascending. Depends only on ``seed`` and the population
    (the order ``units`` come in does not matter)."""
    groups = _groups(units)
    chosen: list[int] = []
    for s in _strata(groups, pct):
        ids = sorted(u.title_id for u in groups[s.key])
        chosen += Random(f"{seed}:{s.key}").sample(ids, s.count)
    return sorted(chosen)


def with_required(drawn: Iterable[int], required: Iterable[int]) -> list[int]:
    """The titles that must be checked and were not drawn, ascending: added on top."""
    taken = set(drawn)
    return sorted(set(required) - taken)


def units_from(rows: Iterable[Sequence[object]]) -> list[Unit]:
    """Units from the stored or published population ``[[title_id, town_id, sector_id,
    ownership], ...]``."""
    return [Unit(int(r[0]), int(r[1]), _opt_int(r[2]), str(r[3])) for r in rows]  # type: ignore[call-overload]


def _opt_int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def as_rows(units: Iterable[Unit]) -> list[list[object]]:
    """The population as stored and published, sorted by title id."""
    return [
        [u.title_id, u.town_id, u.sector_id, u.ownership]
        for u in sorted(units, key=lambda u: u.title_id)
    ]


# What the public page shows as the way to reproduce a draw: the same algorithm, standalone.
SNIPPET = """import json, random

def draw(population, pct, seed):
    strata = {}
    for title_id, town, sector, ownership in population:
        strata.setdefault(f"{town}-{sector or 0}-{ownership}", []).append(title_id)
    total = len(population)
    n = max(1, min(total, (2 * pct * total + 100) // 200)) if total else 0
    counts = {k: n * len(v) // total for k, v in strata.items()}
    order = sorted(strata, key=lambda k: (-(n * len(strata[k]) % total), k))
    for k in order[: n - sum(counts.values())]:
        counts[k] += 1
    chosen = []
    for k in sorted(strata):
        chosen += random.Random(f"{seed}:{k}").sample(sorted(strata[k]), counts[k])
    return sorted(chosen)

population = json.load(open("population.json"))["population"]
print(draw(population, PCT, "SEED"))
"""
