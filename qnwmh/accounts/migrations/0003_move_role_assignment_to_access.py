"""RoleAssignment moves to the ``access`` app (after orgs and collectives, which it points at).
State only: the table ``accounts_roleassignment`` and its rows stay; ``access`` takes it over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_must_change_password_and_unlock_event'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='RoleAssignment')],
            database_operations=[],
        ),
    ]
