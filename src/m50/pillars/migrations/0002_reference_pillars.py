from django.db import migrations


def load_pillars(apps, schema_editor):
    """The five former pillars (ended, dates unknown), the three current ones, and where the
    former pillars' work went (``m50/pillars/data/pillars.json``, see its PROVENANCE.md)."""
    from m50.pillars.reference import pillars_load

    pillars_load(apps.get_model("pillars", "Pillar"), apps.get_model("pillars", "PillarSuccession"))


class Migration(migrations.Migration):
    dependencies = [
        ("pillars", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_pillars, migrations.RunPython.noop),
    ]
