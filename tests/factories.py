"""Plain builders for test data: one line per object, the defaults plausible and eligible."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from qnwmh.access.actor import actor_for
from qnwmh.access.models import RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.collectives.models import Collective, Level, Member, Ownership, Title
from qnwmh.collectives.services import eligibility_refresh
from qnwmh.core.actor import Actor, Role
from qnwmh.orgs.models import Organisation, Sector, Town

_seq = itertools.count(1)
PASSWORD = "Correct-Horse-Battery-9"


def years_ago(years: int, days: int = 30) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def _tree(org: Organisation) -> Organisation:
    org.path = "-"
    org.save()
    org.path = f"{org.parent.path if org.parent else ''}{org.pk:06d}/"
    org.save(update_fields=["path"])
    return org


def town(name: str | None = None, kind: str = "town") -> Town:
    return Town.objects.create(name=name or f"测试镇{next(_seq)}", kind=kind)


def sector(name: str | None = None) -> Sector:
    return Sector.objects.create(name=name or f"测试行业{next(_seq)}")


def city() -> Organisation:
    existing = Organisation.objects.filter(kind=Organisation.Kind.CITY).first()
    return existing or _tree(Organisation(name="共青团中山市委员会", kind=Organisation.Kind.CITY))


def body(town_: Town | None = None, name: str | None = None) -> Organisation:
    t = town_ or town()
    return _tree(
        Organisation(
            name=name or f"共青团中山市{t.name}委员会",
            short_name=f"{t.name}团委",
            kind=Organisation.Kind.BODY,
            body_kind=Organisation.BodyKind.TERRITORIAL,
            parent=city(),
            town=t,
        )
    )


def industry_body(sector_: Sector | None = None, name: str | None = None) -> Organisation:
    s = sector_ or sector()
    return _tree(
        Organisation(
            name=name or f"共青团中山市{s.name}委员会",
            kind=Organisation.Kind.BODY,
            body_kind=Organisation.BodyKind.INDUSTRY,
            parent=city(),
            sector=s,
        )
    )


def collective(
    body_: Organisation,
    *,
    members: int = 10,
    name: str | None = None,
    ownership: str = Ownership.PUBLIC_INSTITUTION,
    **kwargs: Any,
) -> Collective:
    c = Collective.objects.create(
        name=name or f"测试集体{next(_seq)}",
        work_unit="测试单位",
        body=body_,
        town=body_.town or town(),
        ownership=ownership,
        **kwargs,
    )
    for i in range(members):
        member(c, is_leader=(i == 0))
    eligibility_refresh(c)
    return c


def member(
    c: Collective,
    *,
    age: int = 28,
    is_leader: bool = False,
    nationality: str = "CN",
    name: str | None = None,
    phone: str = "13812345678",
) -> Member:
    return Member.objects.create(
        collective=c,
        name=name or f"成员{next(_seq)}",
        birth_date=years_ago(age),
        nationality=nationality,
        is_leader=is_leader,
        phone=phone,
    )


def title(c: Collective, level: str = Level.CITY, **kwargs: Any) -> Title:
    defaults: dict[str, Any] = {
        "session_no": 21,
        "year": 2022,
        "awarded_on": datetime.date(2022, 12, 20),
    }
    defaults.update(kwargs)
    return Title.objects.create(collective=c, level=level, **defaults)


def user(username: str | None = None, role: str | None = None, **target: Any) -> User:
    u = User.objects.create_user(username=username or f"user{next(_seq)}", password=PASSWORD)
    if role:
        RoleAssignment.objects.create(user=u, role=role, **target)
    return u


def actor(u: User | None) -> Actor:
    return actor_for(u, "127.0.0.1")


__all__ = ["Role"]
