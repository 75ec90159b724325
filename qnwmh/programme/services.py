from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks.base import Task

from qnwmh.audit.services import log_action, snapshot
from qnwmh.core.actor import Actor
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import clean_or_raise
from qnwmh.core.worker import unfinished
from qnwmh.programme.models import ProgrammeRules

# Later stages that keep figures derived from the rules (e.g. collectives' cached eligibility)
# subscribe a background task (taking no arguments) here from their AppConfig.ready; the
# programme app itself never imports them. Each is enqueued once the change commits.
rules_changed_handlers: list[Task[[], Any]] = []


@transaction.atomic
def rules_update(actor: Actor, *, values: dict[str, Any]) -> ProgrammeRules:
    """Change the programme's rules; the eligibility of every collective follows in the
    background (the rules page says so while it runs)."""
    require(actor, "programme.edit_rules")
    rules = lock(ProgrammeRules, ProgrammeRules.current().pk)
    before = snapshot(rules)
    for name, value in values.items():
        if name not in ProgrammeRules.editable_fields():
            raise KeyError(name)
        setattr(rules, name, value)
    clean_or_raise(rules)
    rules.save()
    log_action(actor, rules, "programme.rules.updated", before=before, after=snapshot(rules))

    for task in rules_changed_handlers:
        transaction.on_commit(task.enqueue)
    return rules


def rules_recompute_running() -> bool:
    """Whether a recompute after a rules change is still waiting or running."""
    return unfinished(rules_changed_handlers)
