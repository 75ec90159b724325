"""ApiToken moves to the ``access`` app, so the apps' API routers authenticate without
importing ``api``. State only: the table ``api_apitoken`` and its rows stay; ``access`` takes
it over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ApiToken')],
            database_operations=[],
        ),
    ]
