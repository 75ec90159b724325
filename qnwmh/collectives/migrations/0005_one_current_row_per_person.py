"""One current roster row per person (collective, name, birth date).

Rows a double submit created before the constraint existed are taken off the roster (left on
the day they were added; the first row stays, and keeps the leader mark if a copy had it); nothing is deleted. Member counts and
eligibility are recomputed for the collectives touched."""

from django.db import migrations, models
from django.db.models import Count, Min


def retire_duplicates(apps, schema_editor):
    Member = apps.get_model("collectives", "Member")
    Collective = apps.get_model("collectives", "Collective")
    groups = (
        Member.objects.filter(left_on__isnull=True)
        .values("collective_id", "name", "birth_date")
        .annotate(n=Count("id"), first=Min("id"))
        .filter(n__gt=1)
    )
    touched = set()
    for g in groups:
        extra = Member.objects.filter(
            left_on__isnull=True,
            collective_id=g["collective_id"],
            name=g["name"],
            birth_date=g["birth_date"],
        ).exclude(id=g["first"])
        for m in extra:
            was_leader = m.is_leader
            m.left_on = m.joined_on
            m.is_leader = False
            m.save(update_fields=["left_on", "is_leader"])
            if was_leader:  # the person stays the leader, on the row that stays
                Member.objects.filter(id=g["first"]).update(is_leader=True)
        touched.add(g["collective_id"])
    for cid in touched:
        Collective.objects.filter(id=cid).update(
            member_count=Member.objects.filter(collective_id=cid, left_on__isnull=True).count()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("collectives", "0004_list_order_index"),
    ]

    operations = [
        migrations.RunPython(retire_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.UniqueConstraint(
                condition=models.Q(("left_on__isnull", True)),
                fields=("collective", "name", "birth_date"),
                name="one_current_row_per_person",
            ),
        ),
    ]
