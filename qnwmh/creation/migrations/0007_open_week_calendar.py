"""The public calendar walks public open weeks in start order (see ``public_open_weeks``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("creation", "0006_entry_origin")]

    operations = [
        migrations.RemoveIndex(model_name="logentry", name="open_week_last_day"),
        migrations.AddIndex(
            model_name="logentry",
            index=models.Index(
                condition=models.Q(("kind", "open_week"), ("public", True)),
                fields=["occurred_on", "id", "ends_on", "collective"],
                name="open_week_calendar",
            ),
        ),
    ]
