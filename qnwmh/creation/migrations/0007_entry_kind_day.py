from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('creation', '0006_entry_origin'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='logentry',
            index=models.Index(fields=['kind', 'occurred_on'], name='entry_kind_day'),
        ),
    ]
