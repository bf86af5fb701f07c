from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wagtailapp", "0002_brochurepage_leaflet")]

    operations = [
        migrations.AddField(
            model_name="brochurepage",
            name="leaflet",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailapp.leaflet",
            ),
        ),
    ]
