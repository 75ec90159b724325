# Kept collective counts (collectives.counts): the office home reads them instead of counting
# every active collective.

import django.db.models.deletion
from django.db import migrations, models


def count_existing(apps, schema_editor):
    # The counts of the collectives already there (later writes keep them).
    from django.db.models import Count

    Collective = apps.get_model("collectives", "Collective")
    CollectiveCount = apps.get_model("collectives", "CollectiveCount")
    group = ("body_id", "status", "eligibility")
    CollectiveCount.objects.bulk_create(
        (
            CollectiveCount(
                body_id=g["body_id"], status=g["status"], eligibility=g["eligibility"], n=g["n"]
            )
            for g in Collective.objects.order_by().values(*group).annotate(n=Count("id"))
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("collectives", "0008_home_counts"),
        ("orgs", "0002_constraint_messages"),
    ]

    operations = [
        migrations.CreateModel(
            name="CollectiveCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "正常"), ("archived", "已归档")], max_length=12
                    ),
                ),
                (
                    "eligibility",
                    models.CharField(
                        choices=[("met", "符合"), ("near", "临界"), ("not_met", "不符合")],
                        max_length=8,
                    ),
                ),
                ("n", models.PositiveIntegerField()),
                (
                    "body",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="orgs.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("body", "status", "eligibility"),
                        name="one_collective_count_per_group",
                    )
                ],
            },
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
