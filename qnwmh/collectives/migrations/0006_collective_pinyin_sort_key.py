"""Collectives sort by the pinyin of their name (a stored key, since the list is paginated in
SQL and the database has no Chinese collation everywhere), not by code point."""

from typing import Any

from django.db import migrations, models


def fill_sort_keys(apps: Any, schema_editor: Any) -> None:
    from qnwmh.core.collation import pinyin_key

    Collective = apps.get_model("collectives", "Collective")
    batch = []
    for c in Collective.objects.only("id", "name").iterator(chunk_size=1000):
        c.sort_key = pinyin_key(c.name)
        batch.append(c)
        if len(batch) >= 1000:
            Collective.objects.bulk_update(batch, ["sort_key"])
            batch = []
    Collective.objects.bulk_update(batch, ["sort_key"])


class Migration(migrations.Migration):

    dependencies = [
        ('collectives', '0005_one_current_row_per_person'),
        ('orgs', '0002_constraint_messages'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='collective',
            options={'ordering': ['sort_key', 'id'], 'verbose_name': '集体', 'verbose_name_plural': '集体'},
        ),
        migrations.RemoveIndex(
            model_name='collective',
            name='collective_name_id',
        ),
        migrations.AddField(
            model_name='collective',
            name='sort_key',
            field=models.CharField(default='', editable=False, max_length=400),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='collective',
            index=models.Index(fields=['sort_key', 'id'], name='collective_sort_key_id'),
        ),
    ]
