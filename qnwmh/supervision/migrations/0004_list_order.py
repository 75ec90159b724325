"""Indexes on the lists' order, so a page is a walk, not a sort (issue 15)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("supervision", "0003_filer_secret_rating_address_held")]

    operations = [
        migrations.AddIndex(
            model_name='rating',
            index=models.Index(fields=['-created_at', '-id'], name='rating_list_order'),
        ),
        migrations.AddIndex(
            model_name='rating',
            index=models.Index(fields=['day'], name='rating_day'),
        ),
    ]
