from django.db import migrations


def load_themes(apps, schema_editor):
    """The shipped themes (``m50/core/data/themes.json``, see its PROVENANCE.md)."""
    from m50.core.reference import themes_load

    themes_load(apps.get_model("core", "Theme"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_theme"),
    ]

    operations = [
        migrations.RunPython(load_themes, migrations.RunPython.noop),
    ]
