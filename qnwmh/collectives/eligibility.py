"""Eligibility of a collective's roster against the programme rules. Pure arithmetic, no
database: the same function serves pages, services, imports and the property tests."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives.models import Eligibility
from qnwmh.core.facts import Msg


class MemberFacts(Protocol):
    birth_date: datetime.date
    nationality: str
    is_leader: bool


class RuleFacts(Protocol):
    members_min: int
    members_max: int
    youth_age_max: int
    youth_share_min_pct: int
    leader_age_max: int
    nationals_share_min_pct: int
    leader_must_be_national: bool
    near_margin_members: int
    near_margin_pct: int
    near_margin_years: int


@dataclass(frozen=True)
class RuleCheck:
    code: str
    label: str | Promise
    status: Eligibility
    actual: str | Promise | Msg  # Promise/Msg: rendered in the reader's language (str())
    required: str | Promise | Msg


@dataclass(frozen=True)
class EligibilityResult:
    checks: tuple[RuleCheck, ...]
    on: datetime.date

    @property
    def status(self) -> Eligibility:
        statuses = {c.status for c in self.checks}
        if Eligibility.NOT_MET in statuses:
            return Eligibility.NOT_MET
        if Eligibility.NEAR in statuses:
            return Eligibility.NEAR
        return Eligibility.MET


def age_on(birth: datetime.date, on: datetime.date) -> int:
    """Whole years of age on ``on`` (a 29 February birthday turns over on 1 March)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _share_pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def _at_least(value: float, minimum: float, margin: float) -> Eligibility:
    if value < minimum:
        return Eligibility.NOT_MET
    if value < minimum + margin:
        return Eligibility.NEAR
    return Eligibility.MET


def check_eligibility(
    members: Sequence[MemberFacts], rules: RuleFacts, on: datetime.date
) -> EligibilityResult:
    n = len(members)
    checks: list[RuleCheck] = []

    if n < rules.members_min or n > rules.members_max:
        size = Eligibility.NOT_MET
    elif (
        n < rules.members_min + rules.near_margin_members
        or n > rules.members_max - rules.near_margin_members
    ):
        size = Eligibility.NEAR
    else:
        size = Eligibility.MET
    checks.append(
        RuleCheck(
            "size",
            _("成员人数"),
            size,
            str(n),
            Msg(_("%(min)s–%(max)s 人"), min=rules.members_min, max=rules.members_max),
        )
    )

    youth = sum(1 for m in members if age_on(m.birth_date, on) <= rules.youth_age_max)
    youth_pct = _share_pct(youth, n)
    checks.append(
        RuleCheck(
            "youth_share",
            _("青年成员比例"),
            _at_least(youth_pct, rules.youth_share_min_pct, rules.near_margin_pct)
            if n
            else Eligibility.NOT_MET,
            f"{youth}/{n} = {youth_pct:.1f}%",
            Msg(
                _("%(age)s 周岁及以下不少于 %(pct)s%%"),
                age=rules.youth_age_max,
                pct=rules.youth_share_min_pct,
            ),
        )
    )

    nationals = sum(1 for m in members if m.nationality == "CN")
    nationals_pct = _share_pct(nationals, n)
    checks.append(
        RuleCheck(
            "nationals_share",
            _("中国籍成员比例"),
            _at_least(nationals_pct, rules.nationals_share_min_pct, rules.near_margin_pct)
            if n
            else Eligibility.NOT_MET,
            f"{nationals}/{n} = {nationals_pct:.1f}%",
            Msg(_("不少于 %(pct)s%%"), pct=rules.nationals_share_min_pct),
        )
    )

    leaders = [m for m in members if m.is_leader]
    leader_required = Msg(_("%(age)s 周岁及以下"), age=rules.leader_age_max)
    if len(leaders) != 1:
        checks.append(
            RuleCheck(
                "leader_age",
                _("号长年龄"),
                Eligibility.NOT_MET,
                _("未指定号长") if not leaders else _("号长多于一名"),
                leader_required,
            )
        )
    else:
        leader = leaders[0]
        age = age_on(leader.birth_date, on)
        if age > rules.leader_age_max:
            status = Eligibility.NOT_MET
        elif age > rules.leader_age_max - rules.near_margin_years:
            status = Eligibility.NEAR
        else:
            status = Eligibility.MET
        checks.append(
            RuleCheck(
                "leader_age",
                _("号长年龄"),
                status,
                Msg(_("%(age)s 周岁"), age=age),
                leader_required,
            )
        )
        if rules.leader_must_be_national:
            checks.append(
                RuleCheck(
                    "leader_national",
                    _("号长国籍"),
                    Eligibility.MET if leader.nationality == "CN" else Eligibility.NOT_MET,
                    _("中国籍") if leader.nationality == "CN" else _("非中国籍"),
                    _("中国籍"),
                )
            )
    return EligibilityResult(checks=tuple(checks), on=on)


def reference_date(rules: object) -> datetime.date:
    configured = getattr(rules, "age_reference_date", None)
    return configured or timezone.localdate()
