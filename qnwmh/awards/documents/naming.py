"""The naming list (命名名单) of a decision, in the style of an official notice — heading,
document number, date, the collectives by body — as PDF; and the plaque text (牌匾文字)
of a certificate, the words to engrave."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from qnwmh.awards.documents.certificates import issuer_name
from qnwmh.awards.models import Certificate, Decision, ShortlistEntry
from qnwmh.awards.selectors.decision import decided_entries
from qnwmh.core.pdf import html_to_pdf
from qnwmh.orgs.models import Organisation


@dataclass(frozen=True)
class BodyGroup:
    body: Organisation
    entries: list[ShortlistEntry]


def naming_groups(decision: Decision) -> list[BodyGroup]:
    entries = list(decided_entries(decision))
    return [BodyGroup(body, list(rows)) for body, rows in groupby(entries, key=lambda e: e.body)]


def naming_heading(decision: Decision) -> str:
    cycle = decision.shortlist.round.cycle
    return _("关于命名第%(n)s届（%(year)s年度）市级青年文明号的决定") % {
        "n": cycle.session_no,
        "year": cycle.certification_year,
    }


def naming_pdf(decision: Decision) -> bytes:
    groups = naming_groups(decision)
    html = render_to_string(
        "awards/decision/naming_pdf.html",
        {
            "decision": decision,
            "heading": naming_heading(decision),
            "groups": groups,
            "total": sum(len(g.entries) for g in groups),
            "issuer": issuer_name(),
        },
    )
    return html_to_pdf(html)


@dataclass(frozen=True)
class Plaque:
    lines: list[str]  # top to bottom, as engraved
    number: str


def plaque_text(cert: Certificate) -> Plaque:
    """The words on the plaque: level and name of the award, stars, the collective, the
    issuer and year, and the certificate number (small, bottom) for verification."""
    t = cert.title
    stars = "★" * cert.stars
    lines = [
        _("%(level)s青年文明号") % {"level": t.get_level_display()},
        *([stars] if stars else []),
        t.collective.name,
        _("第%(n)s届 · %(year)s年度") % {"n": t.session_no, "year": t.year},
        issuer_name(),
        f"{cert.issued_on:%Y.%m}",
    ]
    return Plaque(lines, cert.number)
