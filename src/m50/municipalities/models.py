"""The municipality registry: CBS municipalities, their population, mergers and networks."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from m50.core.text import words

NAME_MAX_LENGTH = 100


def search_form(name: str) -> str:
    """The form in which a name is stored for search and compared with what is typed: folded
    words separated by one space (``"'s-Hertogenbosch"`` → ``"s hertogenbosch"``)."""
    return " ".join(words(name))[:NAME_MAX_LENGTH]


class Province(models.Model):
    code = models.CharField(_("CBS-code"), max_length=4, unique=True)  # PV27
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provincie")
        verbose_name_plural = _("provincies")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(_("CBS-code"), max_length=6, unique=True)  # GM0384
    name = models.CharField(_("naam"), max_length=NAME_MAX_LENGTH, db_index=True)
    # Derived from ``name`` on every save (and by the reference loader, which saves in bulk).
    search_name = models.CharField(
        _("zoekvorm van de naam"),
        max_length=NAME_MAX_LENGTH,
        blank=True,
        editable=False,
        db_index=True,
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("provincie"),
    )
    # Null means "existed before the registry's first year" (the CBS data start in 2019).
    established_on = models.DateField(_("ontstaan op"), null=True, blank=True)
    dissolved_on = models.DateField(_("opgeheven op"), null=True, blank=True, db_index=True)
    oin = models.CharField(_("OIN"), max_length=20, blank=True)
    rsin = models.CharField(_("RSIN"), max_length=9, blank=True)
    kvk = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    identifiers_source = models.URLField(_("bron identificatie"), max_length=300, blank=True)
    identifiers_as_of = models.DateField(_("peildatum identificatie"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Whatever creates or renames a municipality (the loader aside, which writes in bulk and
        # refreshes the names itself; the admin; test factories) keeps its search form and
        # search terms in step here, so a renamed municipality is found by its new name.
        renamed = self._state.adding or getattr(self, "_stored_name", None) != self.name
        self.search_name = search_form(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)
        if renamed:
            from m50.municipalities.services import municipality_names_refresh

            municipality_names_refresh(municipality_ids=[self.pk])
            self._stored_name = self.name
        # Its search entry follows every change (name, province, end date), in this write.
        from m50.municipalities.search import municipalities_index

        municipalities_index(municipality_ids=[self.pk])

    def delete(self, *args, **kwargs):
        from m50.core.search import index
        from m50.municipalities.search import SEARCH_KIND

        pk = self.pk
        result = super().delete(*args, **kwargs)
        index.entry_delete(kind=SEARCH_KIND, object_id=pk)
        return result

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_name = instance.__dict__.get("name")
        return instance

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None


class PopulationCount(models.Model):
    """CBS population on 1 January of a year, on the municipal division of that date."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population_counts"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    inhabitants = models.PositiveIntegerField(_("inwoners"))
    source = models.CharField(_("bron"), max_length=200)

    class Meta:
        ordering = ["municipality", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="population_unique_year"),
        ]
        indexes = [models.Index(fields=["year", "inhabitants"])]
        verbose_name = _("inwonertal")
        verbose_name_plural = _("inwonertallen")

    def __str__(self) -> str:
        return f"{self.municipality} 1-1-{self.year}: {self.inhabitants}"


class BoundaryChange(models.Model):
    """One predecessor-successor pair of a municipal redivision (herindeling)."""

    class Kind(models.TextChoices):
        MERGER_NEW_CODE = "merger_new_code", _("samenvoeging (nieuwe code)")
        MERGER_KEEP_CODE = (
            "merger_keep_code",
            _("samenvoeging (code ontvangende gemeente behouden)"),
        )
        MERGER_DIVIDED = "merger_divided", _("samenvoeging; gemeente verdeeld")
        SPLIT = "split", _("opheffing en verdeling (splitsing)")
        BOUNDARY_CORRECTION = "boundary_correction", _("grenscorrectie")

    effective_on = models.DateField(_("ingangsdatum"))
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    successor = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="predecessor_links",
        verbose_name=_("nieuwe of ontvangende gemeente"),
    )
    predecessor = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="successor_links",
        verbose_name=_("opgeheven of afstaande gemeente"),
    )
    predecessor_inhabitants = models.PositiveIntegerField(
        _("inwoners afstaande gemeente (31 december ervoor)"), null=True, blank=True
    )
    transferred_inhabitants = models.PositiveIntegerField(
        _("inwoners overgegaan"), null=True, blank=True
    )
    remarks = models.TextField(_("opmerking"), blank=True)

    class Meta:
        ordering = ["effective_on", "successor__name", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_on", "successor", "predecessor"], name="boundary_change_unique"
            ),
        ]
        verbose_name = _("herindeling")
        verbose_name_plural = _("herindelingen")

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on})"

    @property
    def dissolves_predecessor(self) -> bool:
        return self.kind != self.Kind.BOUNDARY_CORRECTION


class Network(models.Model):
    """A network of municipalities (M50, G4, G40, P10, K80)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    list_completeness = models.CharField(_("volledigheid lijst"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("netwerk")
        verbose_name_plural = _("netwerken")

    def __str__(self) -> str:
        return self.code


class NetworkMembership(models.Model):
    """A published fact: this municipality is listed as member of this network, per a source."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="network_memberships"
    )
    # As the source states it: "2023-04", "2022-07-01", "ca. 2020 (datum artikel niet in bron)".
    as_of = models.CharField(_("peildatum bron"), max_length=100)
    status = models.CharField(_("status"), max_length=100)
    name_in_source = models.CharField(_("naam in bron"), max_length=100, blank=True)
    source_url = models.URLField(_("bron"), max_length=500)
    remarks = models.TextField(_("opmerking"), blank=True)

    class Meta:
        ordering = ["network__code", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "municipality"], name="network_membership_unique"
            ),
        ]
        verbose_name = _("netwerklidmaatschap")
        verbose_name_plural = _("netwerklidmaatschappen")

    def __str__(self) -> str:
        return f"{self.municipality} in {self.network}"


class MunicipalityAlias(models.Model):
    """A name people use for a municipality besides its official CBS name ("Den Haag" for
    's-Gravenhage), with where that usage is documented."""

    class Kind(models.TextChoices):
        REGISTER = "register", _("naam in een overheidsregister")
        FORMER = "former", _("eerdere officiële naam")
        COMMON = "common", _("algemeen gebruik")
        FRISIAN = "frisian", _("Friese naam")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name=_("gemeente"),
    )
    name = models.CharField(_("naam"), max_length=NAME_MAX_LENGTH)
    search_name = models.CharField(
        _("zoekvorm van de naam"), max_length=NAME_MAX_LENGTH, editable=False, db_index=True
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("bron"), max_length=500)

    class Meta:
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "search_name"], name="municipality_alias_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(search_name=""), name="municipality_alias_has_letters"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=""), name="municipality_alias_source"
            ),
        ]
        verbose_name = _("andere naam van een gemeente")
        verbose_name_plural = _("andere namen van gemeenten")

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"

    def save(self, *args, **kwargs):
        # As Municipality.save: whatever adds or changes a name keeps the search terms in step.
        self.search_name = search_form(self.name)
        super().save(*args, **kwargs)
        from m50.municipalities.services import municipality_names_refresh

        municipality_names_refresh(municipality_ids=[self.municipality_id])
        from m50.municipalities.search import municipalities_index

        municipalities_index(municipality_ids=[self.municipality_id])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from m50.municipalities.search import municipalities_index
        from m50.municipalities.services import municipality_names_refresh

        municipality_names_refresh(municipality_ids=[self.municipality_id])
        municipalities_index(municipality_ids=[self.municipality_id])
        return result

    def clean(self):
        # The form leaves out the derived search form, so its uniqueness is checked here.
        self.search_name = search_form(self.name)
        if not self.search_name:
            raise ValidationError({"name": _("Een naam heeft ten minste één letter of cijfer.")})
        if self.municipality_id is None:
            return
        if Municipality.objects.filter(
            pk=self.municipality_id, search_name=self.search_name
        ).exists():
            raise ValidationError({"name": _("Dit is de officiële naam van de gemeente al.")})
        others = MunicipalityAlias.objects.filter(
            municipality_id=self.municipality_id, search_name=self.search_name
        ).exclude(pk=self.pk)
        if others.exists():
            raise ValidationError({"name": _("Deze gemeente heeft deze naam al.")})


class MunicipalitySearchTerm(models.Model):
    """One folded word (or a multi-word name run together) of a municipality's official name
    or of one of its other names. Derived data, rebuilt by
    ``services.municipality_names_refresh``; the name search is an indexed prefix match on it."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="search_terms"
    )
    # db_index: on PostgreSQL Django adds a pattern-ops index for LIKE 'x%' with it; SQLite
    # gets a NOCASE index in the migration (what its LIKE optimisation needs).
    term = models.CharField(max_length=NAME_MAX_LENGTH, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "term"], name="municipality_search_term_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.term
