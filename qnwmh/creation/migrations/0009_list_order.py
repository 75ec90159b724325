"""Indexes on the lists' order, so a page is a walk, not a sort (issue 15)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("creation", "0008_entry_kind_day")]

    operations = [
        migrations.AddIndex(
            model_name='logentry',
            index=models.Index(fields=['-occurred_on', '-id'], name='entry_list_order'),
        ),
    ]
