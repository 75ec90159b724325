"""The downloads app's background task (run by ``manage.py run_worker``)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from qnwmh.downloads import jobs


@task(takes_context=True)
def build_file(context: TaskContext, file_id: int) -> str:
    return jobs.build(file_id, run_id=str(context.task_result.id))
