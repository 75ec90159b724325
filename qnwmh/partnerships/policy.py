"""The partnership rules the policy leaves open, as data (docs/GLOSSARY.md, 联创与结对). The
services read them here and nowhere else; changing one is a reviewed code change."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PartnershipRules:
    # 号号联创 is "title to title": at least two titled collectives, and a small group.
    min_partners: int = 2
    max_partners: int = 8
    max_milestones: int = 12
    # 新老结对: a creating collective has one mentor at a time in a cycle (an open pair is a
    # proposed or confirmed one), and a titled collective mentors a few at most.
    mentee_open_pairs_per_cycle: int = 1
    mentor_open_pairs: int = 3
    max_photos: int = 6


RULES = PartnershipRules()
