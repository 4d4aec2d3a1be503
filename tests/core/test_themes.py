from m50.core.models import Theme
from m50.core.reference import themes_load


def test_the_shipped_themes_are_loaded_once_in_their_order(db):
    names = list(Theme.objects.values_list("name", flat=True))
    assert names[:4] == ["Wonen", "Mobiliteit", "Jeugdzorg", "Gemeentefinanciën"]
    assert len(names) == 11
    assert themes_load(Theme) == 0


def test_the_bureau_owns_a_theme_after_the_first_load(db):
    Theme.objects.filter(slug="wonen").update(name="Wonen en bouwen", active=False)
    Theme.objects.filter(slug="economie").delete()
    assert themes_load(Theme) == 1  # only the missing one comes back
    wonen = Theme.objects.get(slug="wonen")
    assert (wonen.name, wonen.active) == ("Wonen en bouwen", False)
