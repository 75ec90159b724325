"""The dashboards' open-week heatmap reads a month's entries of a kind from an index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("creation", "0007_open_week_calendar")]

    operations = [
        migrations.AddIndex(
            model_name="logentry",
            index=models.Index(fields=["kind", "occurred_on", "collective"], name="entry_kind_day"),
        ),
    ]
