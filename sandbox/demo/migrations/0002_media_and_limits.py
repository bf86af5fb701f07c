from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("demo", "0001_initial"),
        ("wagtailmedia", "0005_alter_media_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="demopage",
            name="video",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailmedia.media",
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="excerpt",
            field=models.FileField(
                blank=True,
                help_text="At most 1 MB: a larger file is refused.",
                upload_to="excerpts/",
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="summary",
            field=models.FileField(
                blank=True,
                help_text="PDF only: a file of another type is refused.",
                upload_to="summaries/",
            ),
        ),
    ]
