from __future__ import annotations

import pytest
from django.urls import reverse

from qnwmh.audit.models import AppendOnlyError, AuditEntry
from qnwmh.audit.services import log_action


def test_entries_record_actor_ip_code_object_and_change(world):
    entry = log_action(
        world.actor("body_admin"),
        world.collective,
        "collectives.collective.updated",
        before={"address": "", "name": "a"},
        after={"address": "新", "name": "a"},
    )
    assert entry.actor == world.users["body_admin"] and entry.ip == "127.0.0.1"
    assert entry.object_type == "collectives.collective" and entry.object_id == str(
        world.collective.pk
    )
    assert entry.before == {"address": ""} and entry.after == {"address": "新"}


def test_entries_cannot_be_changed_or_deleted(world):
    entry = log_action(world.actor("city_admin"), None, "test.done")
    entry.code = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(code="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).code == "test.done"


def test_city_admins_search_the_log(world):
    log_action(world.actor("body_admin"), world.collective, "collectives.collective.updated")
    log_action(world.actor("city_admin"), None, "programme.rules.updated")
    page = world.client("city_admin").get(
        reverse("audit:log"), {"code": "collectives.", "actor": "bodyadmin"}
    )
    html = page.content.decode().split("<tbody>", 1)[1]  # past the action select's options
    assert "collectives.collective.updated" in html and "programme.rules.updated" not in html


def test_the_log_names_the_public_and_the_system_in_words(world):
    from qnwmh.core.actor import Actor, system_actor

    log_action(system_actor(), None, "downloads.file.expired")
    log_action(Actor(user=None), None, "supervision.complaint.filed")
    page = world.client("city_admin").get(reverse("audit:log")).content.decode()
    assert "<td>系统</td>" in page and "<td>公众</td>" in page
    assert "<td>system</td>" not in page and "<td>anonymous</td>" not in page
