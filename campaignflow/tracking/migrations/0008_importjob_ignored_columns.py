"""A background import job names the file's columns it does not read, as the preview of a small file does."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tracking", "0007_importjob_status_importing")]

    operations = [
        migrations.AddField(
            "importjob", "ignored_columns", models.JSONField(blank=True, default=list, verbose_name="columns not read")
        )
    ]
