from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_move_role_assignment_to_access"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="state_version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
    ]
