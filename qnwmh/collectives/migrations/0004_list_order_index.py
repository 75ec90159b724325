"""The list's default order (name, id) as an index, so a page is an index walk instead of a
sort of the whole table; and trigram indexes on the plain columns for caseless (Chinese)
substring search, which the selector runs as plain LIKE (see ``text_search_condition``)."""

from django.db import migrations, models

from qnwmh.core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("collectives", "0003_import_batch"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="collective",
            index=models.Index(fields=["name", "id"], name="collective_name_id"),
        ),
        PostgresOnlySQL(
            sql=[
                "CREATE INDEX collective_name_trgm_plain ON collectives_collective "
                "USING gin (name gin_trgm_ops)",
                "CREATE INDEX collective_unit_trgm_plain ON collectives_collective "
                "USING gin (work_unit gin_trgm_ops)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS collective_name_trgm_plain",
                "DROP INDEX IF EXISTS collective_unit_trgm_plain",
            ],
        ),
    ]
