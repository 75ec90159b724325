"""The notices app's background tasks (run by ``manage.py run_worker``)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from qnwmh.notices import outbox


@task(takes_context=True)
def deliver_mail(context: TaskContext, mail_id: int) -> str:
    return outbox.deliver(mail_id, run_id=str(context.task_result.id))
