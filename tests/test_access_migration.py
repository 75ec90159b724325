"""Role grants and API tokens moved to ``access`` without touching the database: migrating a
database from before the move keeps every row, and the content types and audit entries that
named the old apps follow them."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("access", None),
    ("accounts", "0002_must_change_password_and_unlock_event"),
    ("api", "0001_initial"),
]


def _leaves(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_stay_when_grants_and_tokens_move(world) -> None:
    executor = MigrationExecutor(connection)
    after = _leaves(executor)
    try:
        executor.migrate(BEFORE)
        before = [n for n in after if n[0] not in {"access", "accounts", "api"}] + BEFORE[1:]
        old = executor.loader.project_state(before).apps
        OldGrant = old.get_model("accounts", "RoleAssignment")
        OldToken = old.get_model("api", "ApiToken")
        OldAudit = old.get_model("audit", "AuditEntry")
        grants = sorted(OldGrant.objects.values_list("pk", "user_id", "role"))
        assert grants  # the world's roles
        token = OldToken.objects.create(
            user_id=world.users["body_admin"].pk, prefix="abcdefgh", key_hash="0" * 64
        )
        grant = OldGrant.objects.first()
        OldAudit.objects.create(
            actor_label="x",
            code="accounts.role.granted",
            object_type="accounts.roleassignment",
            object_id=str(grant.pk),
        )
        OldAudit.objects.create(
            actor_label="x",
            code="api.token.issued",
            object_type="api.apitoken",
            object_id=str(token.pk),
        )

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        Grant = new.get_model("access", "RoleAssignment")
        Token = new.get_model("access", "ApiToken")
        Audit = new.get_model("audit", "AuditEntry")
        Type = new.get_model("contenttypes", "ContentType")
        assert sorted(Grant.objects.values_list("pk", "user_id", "role")) == grants
        assert Token.objects.get(pk=token.pk).key_hash == "0" * 64
        assert Audit.objects.filter(object_type="access.roleassignment").count() == 1
        assert Audit.objects.filter(object_type="access.apitoken").count() == 1
        assert not Audit.objects.filter(object_type__in=["accounts.roleassignment", "api.apitoken"])
        assert Type.objects.filter(app_label="access", model="roleassignment").exists()
        assert not Type.objects.filter(app_label="accounts", model="roleassignment").exists()
    finally:
        MigrationExecutor(connection).migrate(after)
        ContentType.objects.clear_cache()
