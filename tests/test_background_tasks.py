"""Tasks through the database queue in this process: the rules-change recompute is enqueued on
commit, the rules page says it is running, and the worker (``run_worker --batch``) runs it.
A worker that died is found and its task put back in the queue."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from qnwmh.collectives.models import Eligibility
from qnwmh.core import worker
from qnwmh.programme.services import rules_update

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_rules_change_recompute_runs_as_a_task_and_the_page_says_so(world, settings):
    settings.TASKS = DB_QUEUE
    client = world.client("city_admin")
    assert "正在按新规则重新计算" not in client.get(reverse("programme:rules")).content.decode()

    rules_update(world.actor("city_admin"), values={"members_min": 9})
    (queued,) = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "qnwmh.collectives.tasks.refresh_eligibility"
    world.collective.refresh_from_db()
    assert world.collective.eligibility != Eligibility.NOT_MET  # not in the request
    assert "正在按新规则重新计算" in client.get(reverse("programme:rules")).content.decode()

    call_command("run_worker", "--batch", "--no-startup-delay", "-v", "0")
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    world.collective.refresh_from_db()
    assert world.collective.eligibility == Eligibility.NOT_MET  # 8 members < 9
    assert "正在按新规则重新计算" not in client.get(reverse("programme:rules")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_dead_worker_goes_back_in_the_queue(settings):
    settings.TASKS = DB_QUEUE
    from qnwmh.collectives.tasks import refresh_eligibility

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    host = worker.new_worker_id().split(":")[0]
    orphan = DBTaskResult.objects.get(pk=refresh_eligibility.enqueue().id)
    orphan.claim(f"{host}:{dead.stdout.strip()}:x")
    alive = DBTaskResult.objects.get(pk=refresh_eligibility.enqueue().id)
    alive.claim(worker.new_worker_id())  # this very process: alive
    elsewhere = DBTaskResult.objects.get(pk=refresh_eligibility.enqueue().id)
    elsewhere.claim("another-host:1:x")  # cannot be judged from here: left alone

    assert worker.requeue_orphans() == 1
    statuses = {
        r.pk: r.status
        for r in DBTaskResult.objects.filter(pk__in=[orphan.pk, alive.pk, elsewhere.pk])
    }
    assert statuses == {
        orphan.pk: TaskResultStatus.READY,
        alive.pk: TaskResultStatus.RUNNING,
        elsewhere.pk: TaskResultStatus.RUNNING,
    }
