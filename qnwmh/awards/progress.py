"""The certification stages awards owns, registered with ``certification.progress`` so the
applications list filters on them and the dashboard counts them: an application on the
frozen shortlist (拟认定), decided (已认定), or taken off the list (已移出: inspection,
objection, withdrawal or the decision's audit). Labels and states are the shortlist page's
(``EntryStatus``), so both pages say the same thing."""

from __future__ import annotations

from functools import partial

from django.db.models import Q

from qnwmh.awards.models import EntryStatus
from qnwmh.certification import progress


def _entry(status: str) -> Q:
    return Q(shortlist_entry__status=status)


def register() -> None:
    for status in (EntryStatus.LISTED, EntryStatus.DECIDED, EntryStatus.REMOVED):
        progress.register(status.value, status.label, partial(_entry, status.value))
