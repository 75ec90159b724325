from django.db import migrations, models
from django.db.models import Q


def fill(apps, schema_editor):
    """A reward was the city's when its recorder held the city role when recording it."""
    Reward = apps.get_model("recognition", "Reward")
    RoleAssignment = apps.get_model("access", "RoleAssignment")
    for reward in Reward.objects.all().only("pk", "recorded_by_id", "recorded_at"):
        held = RoleAssignment.objects.filter(
            Q(revoked_at__isnull=True) | Q(revoked_at__gt=reward.recorded_at),
            user_id=reward.recorded_by_id,
            role="city_admin",
            granted_at__lte=reward.recorded_at,
        ).exists()
        if held:
            Reward.objects.filter(pk=reward.pk).update(recorded_by_city=True)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_initial"),
        ("recognition", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reward",
            name="recorded_by_city",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
