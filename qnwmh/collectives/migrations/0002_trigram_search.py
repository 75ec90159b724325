"""Trigram indexes for Chinese substring search on PostgreSQL. ``icontains`` compiles to
UPPER(col) LIKE UPPER(%s), so the index is on UPPER(col). Needs a UTF-8 LC_CTYPE (see
STACK.md): under the C locale pg_trgm drops CJK characters."""

from django.db import migrations

from qnwmh.core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("collectives", "0001_initial")]

    operations = [
        PostgresOnlySQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX collective_name_trgm ON collectives_collective "
                "USING gin (UPPER(name) gin_trgm_ops)",
                "CREATE INDEX collective_unit_trgm ON collectives_collective "
                "USING gin (UPPER(work_unit) gin_trgm_ops)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS collective_name_trgm",
                "DROP INDEX IF EXISTS collective_unit_trgm",
            ],
        )
    ]
