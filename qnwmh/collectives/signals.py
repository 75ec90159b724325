"""Signals of collectives' bulk writes, which Django's model signals do not see.

Later apps keep rows derived from collectives (creation's memberships copy the body and the
sort key); a bulk path sends ``collectives_changed`` with the ids it changed, inside its
transaction, so the receivers update those rows with it."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``ids`` (a list of collective ids) after a bulk update of collectives.
collectives_changed = Signal()
