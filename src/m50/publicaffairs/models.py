"""Public affairs: the Tweede Kamer as its open data describes it (fracties, members,
committees, motions, decisions, votes, activities), kept in step by the sync.

Synced rows keep the Tweede Kamer's own id (``tk_id``) and its last change (``tk_changed_at``,
the record's ``GewijzigdOp``), so that a re-sync compares instead of rewriting. A link to a
record that has not arrived yet is kept as the Tweede Kamer id (``tk_..._id``) next to the
foreign key, which the sync fills in when the other record arrives. Values the Tweede Kamer
lists (kinds, results, the cabinet's appraisal) are stored as the text it sends: new values
appear without notice and must not be lost.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def waiting_index(link: str, name: str) -> models.Index:
    """An index of the rows still waiting for the record ``tk_<link>_id`` names, which the
    sync looks up when that record arrives. Partial: nearly every row has its link, and an
    index of all of them would cost each of the many inserts."""
    return models.Index(
        fields=[f"tk_{link}_id"],
        condition=Q(**{f"{link}__isnull": True, f"tk_{link}_id__isnull": False}),
        name=name,
    )


class TweedeKamerRecord(models.Model):
    tk_id = models.UUIDField(_("id bij de Tweede Kamer"), unique=True)
    tk_changed_at = models.DateTimeField(_("gewijzigd bij de Tweede Kamer"), null=True, blank=True)
    # ``GewijzigdOp`` exactly as the Tweede Kamer sent it: a re-sync compares this text and
    # leaves a record it equals alone, without parsing a date per record.
    tk_version = models.CharField(_("versie bij de Tweede Kamer"), max_length=40, blank=True)

    class Meta:
        abstract = True


class Fractie(TweedeKamerRecord):
    number = models.IntegerField(_("nummer"), null=True, blank=True)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    abbreviation = models.CharField(_("afkorting"), max_length=100, blank=True)
    seats = models.IntegerField(_("zetels"), null=True, blank=True)
    active_from = models.DateField(_("actief vanaf"), null=True, blank=True)
    active_to = models.DateField(_("actief tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("fractie")
        verbose_name_plural = _("fracties")

    def __str__(self) -> str:
        return self.abbreviation or self.name

    @property
    def is_active(self) -> bool:
        return self.active_to is None


class Committee(TweedeKamerRecord):
    number = models.IntegerField(_("nummer"), null=True, blank=True)
    kind = models.CharField(_("soort"), max_length=100, blank=True)
    name = models.CharField(_("naam"), max_length=300, blank=True)
    abbreviation = models.CharField(_("afkorting"), max_length=100, blank=True)
    active_from = models.DateField(_("actief vanaf"), null=True, blank=True)
    active_to = models.DateField(_("actief tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("commissie")
        verbose_name_plural = _("commissies")

    def __str__(self) -> str:
        return self.name or self.abbreviation


class MemberOfParliament(TweedeKamerRecord):
    """A person in the Tweede Kamer's data. Only what the work needs: names, function,
    fractie and the place of residence (to plan work visits); no date of birth or other
    personal data, which the sync does not store."""

    number = models.IntegerField(_("nummer"), null=True, blank=True)
    titles = models.CharField(_("titels"), max_length=100, blank=True)
    initials = models.CharField(_("voorletters"), max_length=50, blank=True)
    first_name = models.CharField(_("roepnaam"), max_length=100, blank=True)
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=50, blank=True)
    surname = models.CharField(_("achternaam"), max_length=200, blank=True)
    display_name = models.CharField(_("naam"), max_length=300, blank=True)
    function = models.CharField(_("functie"), max_length=100, blank=True)
    residence = models.CharField(_("woonplaats"), max_length=200, blank=True)
    # Set when the place of residence names exactly one municipality.
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members_of_parliament",
        verbose_name=_("gemeente"),
    )
    fractie = models.ForeignKey(
        Fractie,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("huidige fractie"),
    )
    tk_fractie_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["surname", "first_name", "pk"]
        indexes = [waiting_index("fractie", "pa_member_wait_fractie")]
        verbose_name = _("Kamerlid")
        verbose_name_plural = _("Kamerleden")

    def __str__(self) -> str:
        return self.display_name or self.surname


class FractieMembership(TweedeKamerRecord):
    """A member's seat in a fractie (*FractieZetelPersoon*), from and to; the one without an
    end is the member's current fractie."""

    member = models.ForeignKey(
        MemberOfParliament,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fractie_memberships",
        verbose_name=_("Kamerlid"),
    )
    tk_member_id = models.UUIDField(null=True, blank=True)
    fractie = models.ForeignKey(
        Fractie,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("fractie"),
    )
    tk_fractie_id = models.UUIDField(null=True, blank=True)
    function = models.CharField(_("functie"), max_length=100, blank=True)
    start = models.DateField(_("van"), null=True, blank=True)
    end = models.DateField(_("tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["member", "start", "pk"]
        verbose_name = _("fractielidmaatschap")
        verbose_name_plural = _("fractielidmaatschappen")
        indexes = [
            waiting_index("member", "pa_fractieseat_wait_member"),
            waiting_index("fractie", "pa_fractieseat_wait_fractie"),
            models.Index(fields=["tk_member_id"], name="pa_fractieseat_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.fractie}"


class CommitteeMembership(TweedeKamerRecord):
    committee = models.ForeignKey(
        Committee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("commissie"),
    )
    tk_committee_id = models.UUIDField(null=True, blank=True)
    member = models.ForeignKey(
        MemberOfParliament,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_memberships",
        verbose_name=_("Kamerlid"),
    )
    tk_member_id = models.UUIDField(null=True, blank=True)
    # "Lid", "Voorzitter", ...; a substitute's seat is "plaatsvervangend lid".
    function = models.CharField(_("functie"), max_length=100, blank=True)
    substitute = models.BooleanField(_("plaatsvervangend"), default=False)
    start = models.DateField(_("van"), null=True, blank=True)
    end = models.DateField(_("tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "member", "start", "pk"]
        indexes = [
            waiting_index("committee", "pa_membership_wait_committee"),
            waiting_index("member", "pa_membership_wait_member"),
        ]
        verbose_name = _("commissielidmaatschap")
        verbose_name_plural = _("commissielidmaatschappen")

    def __str__(self) -> str:
        return f"{self.member} – {self.committee}"


class Motion(models.Model):
    """A motion of the Tweede Kamer (synced, a *Zaak* of kind Motie) or a motion or resolution
    of the VNG's general meeting (entered by hand): one list for both, told apart by source."""

    class Source(models.TextChoices):
        TWEEDE_KAMER = "tweede_kamer", _("Tweede Kamer")
        VNG = "vng", _("VNG")

    source = models.CharField(_("bron"), max_length=20, choices=Source.choices, db_index=True)
    tk_id = models.UUIDField(_("id bij de Tweede Kamer"), unique=True, null=True, blank=True)
    tk_changed_at = models.DateTimeField(_("gewijzigd bij de Tweede Kamer"), null=True, blank=True)
    # ``GewijzigdOp`` exactly as the Tweede Kamer sent it: a re-sync compares this text and
    # leaves a record it equals alone, without parsing a date per record.
    tk_version = models.CharField(_("versie bij de Tweede Kamer"), max_length=40, blank=True)
    number = models.CharField(_("nummer"), max_length=50, blank=True, db_index=True)
    kind = models.CharField(_("soort"), max_length=100, blank=True)
    title = models.TextField(_("titel"), blank=True)
    subject = models.TextField(_("onderwerp"), blank=True)
    date = models.DateField(_("datum"), null=True, blank=True, db_index=True)
    parliamentary_year = models.CharField(_("vergaderjaar"), max_length=20, blank=True)
    serial_number = models.IntegerField(_("volgnummer"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=100, blank=True)
    settled = models.BooleanField(_("afgedaan"), null=True, blank=True)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="motions",
        verbose_name=_("commissie"),
    )
    cabinet_appraisal = models.CharField(_("appreciatie kabinet"), max_length=300, blank=True)
    # [{"number", "kind", "title", "date", "identifier", "files": [{"type", "name", "url"}]}]
    documents = models.JSONField(_("documenten"), default=list, blank=True)

    class Meta:
        ordering = ["-date", "number", "pk"]
        verbose_name = _("motie")
        verbose_name_plural = _("moties")
        constraints = [
            models.CheckConstraint(
                condition=Q(source="vng") | Q(tk_id__isnull=False),
                name="publicaffairs_tk_motion_has_tk_id",
            )
        ]

    def __str__(self) -> str:
        return self.number or self.title[:80]


class MotionSubmitter(TweedeKamerRecord):
    """A member who submitted or co-signed a motion (a *ZaakActor* of the motion)."""

    class Role(models.TextChoices):
        SUBMITTER = "submitter", _("indiener")
        CO_SIGNER = "co_signer", _("medeondertekenaar")

    motion = models.ForeignKey(
        Motion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitters",
        verbose_name=_("motie"),
    )
    tk_motion_id = models.UUIDField(null=True, blank=True)
    member = models.ForeignKey(
        MemberOfParliament,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="motions_submitted",
        verbose_name=_("Kamerlid"),
    )
    tk_member_id = models.UUIDField(null=True, blank=True)
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    name = models.CharField(_("naam"), max_length=300, blank=True)
    fractie_name = models.CharField(_("fractie"), max_length=200, blank=True)

    class Meta:
        ordering = ["motion", "role", "name", "pk"]
        indexes = [
            waiting_index("motion", "pa_submitter_wait_motion"),
            waiting_index("member", "pa_submitter_wait_member"),
        ]
        verbose_name = _("indiener")
        verbose_name_plural = _("indieners")

    def __str__(self) -> str:
        return self.name


class Decision(TweedeKamerRecord):
    """A decision (*Besluit*) on an agenda item, for a motion when it concerns one."""

    motion = models.ForeignKey(
        Motion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("motie"),
    )
    # The Zaak and agenda item the decision is about, kept so that it links to its motion
    # when that arrives.
    tk_motion_id = models.UUIDField(null=True, blank=True)
    tk_agenda_item_id = models.UUIDField(null=True, blank=True)
    kind = models.CharField(_("soort besluit"), max_length=200, blank=True)
    text = models.TextField(_("besluit"), blank=True)
    # "Aangenomen", "Verworpen", ... from a vote's decision kind ("Stemmen - aangenomen").
    result = models.CharField(_("uitslag"), max_length=100, blank=True, db_index=True)
    vote_kind = models.CharField(_("soort stemming"), max_length=100, blank=True)
    # "95–55": seats (or, in a roll call, members) for and against, from the votes.
    vote_count = models.CharField(_("stemverhouding"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=100, blank=True)
    note = models.TextField(_("opmerking"), blank=True)
    order = models.IntegerField(_("volgorde"), null=True, blank=True)

    class Meta:
        ordering = ["motion", "order", "pk"]
        indexes = [waiting_index("motion", "pa_decision_wait_motion")]
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")

    def __str__(self) -> str:
        return self.text or self.kind


class Vote(TweedeKamerRecord):
    """A vote (*Stemming*) on a decision: by a fractie, or by one member in a roll call."""

    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("besluit"),
    )
    tk_decision_id = models.UUIDField(null=True, blank=True)
    fractie = models.ForeignKey(
        Fractie,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("fractie"),
    )
    tk_fractie_id = models.UUIDField(null=True, blank=True)
    member = models.ForeignKey(
        MemberOfParliament,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("Kamerlid"),
        db_index=False,  # see the partial index in Meta
    )
    tk_member_id = models.UUIDField(null=True, blank=True)
    # "Voor", "Tegen", "Niet deelgenomen", or whatever new value the Tweede Kamer sends.
    kind = models.CharField(_("stem"), max_length=50, blank=True)
    actor_name = models.CharField(_("naam"), max_length=300, blank=True)
    actor_fractie = models.CharField(_("fractie"), max_length=200, blank=True)
    fractie_size = models.IntegerField(_("fractiegrootte"), null=True, blank=True)
    mistake = models.BooleanField(_("vergissing"), default=False)

    class Meta:
        ordering = ["decision", "actor_name", "pk"]
        indexes = [
            waiting_index("decision", "pa_vote_wait_decision"),
            waiting_index("fractie", "pa_vote_wait_fractie"),
            waiting_index("member", "pa_vote_wait_member"),
            # Only roll-call votes have a member.
            models.Index(
                fields=["member"], condition=Q(member__isnull=False), name="pa_vote_member"
            ),
        ]
        verbose_name = _("stemming")
        verbose_name_plural = _("stemmingen")

    def __str__(self) -> str:
        return f"{self.actor_name}: {self.kind}"

    @property
    def is_roll_call(self) -> bool:
        return self.tk_member_id is not None


class ParliamentActivity(TweedeKamerRecord):
    """A debate, committee meeting, work visit, ... (*Activiteit*)."""

    number = models.CharField(_("nummer"), max_length=50, blank=True)
    kind = models.CharField(_("soort"), max_length=200, blank=True)
    subject = models.TextField(_("onderwerp"), blank=True)
    date = models.DateField(_("datum"), null=True, blank=True, db_index=True)
    start = models.DateTimeField(_("aanvang"), null=True, blank=True)
    end = models.DateTimeField(_("einde"), null=True, blank=True)
    location = models.CharField(_("locatie"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=100, blank=True)
    closed_session = models.BooleanField(_("besloten"), null=True, blank=True)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("voortouwcommissie"),
    )
    tk_committee_id = models.UUIDField(null=True, blank=True)
    committee_name = models.CharField(_("voortouw"), max_length=300, blank=True)

    class Meta:
        ordering = ["date", "start", "pk"]
        indexes = [waiting_index("committee", "pa_activity_wait_committee")]
        verbose_name = _("Kameractiviteit")
        verbose_name_plural = _("Kameractiviteiten")

    def __str__(self) -> str:
        return self.subject or self.number


class DeletedRecord(models.Model):
    """A record the Tweede Kamer deleted (``Verwijderd: true``), remembered so that reading an
    older page again does not bring it back."""

    tk_id = models.UUIDField(_("id bij de Tweede Kamer"), unique=True)
    entity = models.CharField(_("entiteit"), max_length=100)
    tk_changed_at = models.DateTimeField(_("verwijderd bij de Tweede Kamer"), null=True, blank=True)

    class Meta:
        ordering = ["entity", "tk_id"]
        verbose_name = _("verwijderd record")
        verbose_name_plural = _("verwijderde records")

    def __str__(self) -> str:
        return f"{self.entity} {self.tk_id}"


class SyncedFile(models.Model):
    """A saved page the sync applied whole, by the digest of its bytes: reading the same file
    again cannot change anything (each of its records was applied, or was older than what is
    stored), so a re-sync passes it over and counts its records as unchanged.

    Remembered only for a page whose outcome does not depend on what arrives later: every
    record has its ``GewijzigdOp``, and a motion's lead committee it names was found."""

    digest = models.CharField(_("SHA-256 van de inhoud"), max_length=64, unique=True)
    entity = models.CharField(_("entiteit"), max_length=100)
    name = models.CharField(_("bestandsnaam"), max_length=255)
    # {entity: {"unchanged": n, "skipped": n}}: the counts a second reading would give.
    counts = models.JSONField(_("aantallen"), default=dict)
    applied_at = models.DateTimeField(_("toegepast op"), auto_now_add=True)

    class Meta:
        ordering = ["applied_at", "pk"]
        verbose_name = _("gesynchroniseerd bestand")
        verbose_name_plural = _("gesynchroniseerde bestanden")

    def __str__(self) -> str:
        return self.name


class SyncState(models.Model):
    """How far the sync has come for one Tweede Kamer entity (``Zaak``, ``Stemming``, ...)."""

    entity = models.CharField(_("entiteit"), max_length=100, unique=True)
    # The latest ``GewijzigdOp`` applied: the next online sync asks for what changed after it.
    last_changed_at = models.DateTimeField(_("laatst gezien GewijzigdOp"), null=True, blank=True)
    # The page to continue with when a run stopped halfway (``@odata.nextLink``).
    resume_url = models.TextField(_("hervatpunt"), blank=True)
    last_run_at = models.DateTimeField(_("laatste run"), null=True, blank=True)

    class Meta:
        ordering = ["entity"]
        verbose_name = _("synchronisatiestand")
        verbose_name_plural = _("synchronisatiestanden")

    def __str__(self) -> str:
        return self.entity


# --- The network's own records: theme dossiers, stakeholders, interactions, watch list --------
#
# What the lobbyist records, next to the Tweede Kamer's data above: per theme of the shared list
# (``core.Theme``) a dossier, relations with stakeholders, contacts (*contactmomenten*) with
# their follow-ups, recurring consultations, motions' co-submitters and outcome, and the watch
# list. Who may read and write what: ``publicaffairs.rules``.

USER_MODEL = "accounts.User"


class ThemeDossier(models.Model):
    """The network's dossier on one theme: goals, watch terms, committees, linked motions and
    Kamer activities. The position is versioned (``PositionVersion``)."""

    theme = models.OneToOneField(
        "core.Theme", on_delete=models.PROTECT, related_name="dossier", verbose_name=_("thema")
    )
    goals = models.TextField(_("doelen"), blank=True)
    # The goals are internal unless public affairs marks them for the public site, where
    # they are shown beside the published position.
    goals_public = models.BooleanField(_("doelen openbaar"), default=False)
    # Words and phrases as the lobbyist typed them; matched after search normalisation.
    watch_terms = models.JSONField(_("zoektermen"), default=list, blank=True)
    committees = models.ManyToManyField(
        Committee, blank=True, related_name="theme_dossiers", verbose_name=_("commissies")
    )
    motions = models.ManyToManyField(
        Motion, blank=True, related_name="theme_dossiers", verbose_name=_("moties")
    )
    activities = models.ManyToManyField(
        ParliamentActivity,
        blank=True,
        related_name="theme_dossiers",
        verbose_name=_("Kameractiviteiten"),
    )
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        ordering = ["theme__position", "theme__name"]
        verbose_name = _("themadossier")
        verbose_name_plural = _("themadossiers")

    def __str__(self) -> str:
        return str(self.theme)


class PositionVersion(models.Model):
    """One version of the network's position on a theme; the latest is the current one."""

    dossier = models.ForeignKey(
        ThemeDossier,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("themadossier"),
    )
    number = models.PositiveIntegerField(_("versie"))
    text = models.TextField(_("standpunt"))
    author = models.ForeignKey(
        USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    created_at = models.DateTimeField(_("datum"), auto_now_add=True)
    # Shown on the public site; at most one version of a dossier at a time.
    published = models.BooleanField(_("gepubliceerd"), default=False)
    # When it was last put on the public site (kept after unpublishing, as history).
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "-number"]
        verbose_name = _("standpunt")
        verbose_name_plural = _("standpunten")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="pa_position_number"),
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(published=True), name="pa_position_one_published"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} v{self.number}"


class Stakeholder(models.Model):
    """The network's relation with an organisation, a Kamerlid or a fractie: who owns it and
    the next step. The last contact is derived from the interactions (selectors)."""

    organisation = models.OneToOneField(
        "contacts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stakeholder",
        verbose_name=_("organisatie"),
    )
    member = models.OneToOneField(
        MemberOfParliament,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stakeholder",
        verbose_name=_("Kamerlid"),
    )
    fractie = models.OneToOneField(
        Fractie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stakeholder",
        verbose_name=_("fractie"),
    )
    owner = models.ForeignKey(
        USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pa_stakeholders",
        verbose_name=_("relatiebeheerder"),
    )
    next_step = models.TextField(_("volgende stap"), blank=True)
    next_step_date = models.DateField(_("datum volgende stap"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, member__isnull=True, fractie__isnull=True)
                    | Q(organisation__isnull=True, member__isnull=False, fractie__isnull=True)
                    | Q(organisation__isnull=True, member__isnull=True, fractie__isnull=False)
                ),
                name="pa_stakeholder_one_party",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation or self.member or self.fractie)


class ConsultationSeries(models.Model):
    """A recurring consultation (*overleg*) with a counterpart, every ``cadence_months``
    months, such as the half-yearly meeting with J&V on public order, safety and subversion."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    cadence_months = models.PositiveSmallIntegerField(_("frequentie in maanden"))
    counterpart = models.ForeignKey(
        "contacts.Organisation",
        on_delete=models.PROTECT,
        related_name="pa_consultation_series",
        verbose_name=_("gesprekspartner"),
    )
    active = models.BooleanField(_("lopend"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("terugkerend overleg")
        verbose_name_plural = _("terugkerende overleggen")
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_months__gt=0), name="pa_series_cadence_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Interaction(models.Model):
    """A contact (*contactmoment*): a talk, a work visit, a letter or contribution, a meeting
    of a recurring consultation, a MIRT table. Its confidential note is for public affairs and
    the bureau only; selectors leave it out of every other reader's query."""

    class Kind(models.TextChoices):
        TALK = "bestuurlijk_gesprek", _("bestuurlijk gesprek")
        WORK_VISIT = "werkbezoek", _("werkbezoek")
        CONTRIBUTION = "inbreng", _("brief, inbreng of position paper")
        CONSULTATION = "overleg", _("overleg")
        MIRT = "mirt_tafel", _("MIRT-tafel")
        OTHER = "overig", _("overig")

    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices, db_index=True)
    date = models.DateField(_("datum"), db_index=True)
    subject = models.CharField(_("onderwerp"), max_length=300)
    network_people = models.ManyToManyField(
        "contacts.Person",
        blank=True,
        related_name="pa_interactions_for_network",
        verbose_name=_("namens het netwerk"),
    )
    other_people = models.ManyToManyField(
        "contacts.Person",
        blank=True,
        related_name="pa_interactions_as_counterpart",
        verbose_name=_("gesprekspartners"),
    )
    members = models.ManyToManyField(
        MemberOfParliament, blank=True, related_name="interactions", verbose_name=_("Kamerleden")
    )
    fracties = models.ManyToManyField(
        Fractie, blank=True, related_name="interactions", verbose_name=_("fracties")
    )
    organisations = models.ManyToManyField(
        "contacts.Organisation",
        blank=True,
        related_name="pa_interactions",
        verbose_name=_("organisaties"),
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="pa_interactions", verbose_name=_("thema's")
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pa_interactions",
        verbose_name=_("gemeente"),
    )
    # A work visit is also an activity of the activities app (registrations, calendar).
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pa_interactions",
        verbose_name=_("activiteit"),
    )
    series = models.ForeignKey(
        ConsultationSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("terugkerend overleg"),
    )
    outcome = models.TextField(_("uitkomst"), blank=True)
    confidential_note = models.TextField(_("vertrouwelijke notitie"), blank=True)
    created_by = models.ForeignKey(
        USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        indexes = [models.Index(fields=["series", "date"], name="pa_interaction_series_date")]

    def __str__(self) -> str:
        return self.subject

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        # A note a selector left out stays out: touching the attribute (a template, a
        # serializer) must not load it for a reader who may not see it. Services that change
        # an interaction read it again in full.
        if (
            fields is not None
            and list(fields) == ["confidential_note"]
            and "confidential_note" in self.get_deferred_fields()
        ):
            self.confidential_note = ""
            return
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)


class FollowUp(models.Model):
    """An action agreed in an interaction: who does it, before when, and when it was done."""

    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("contactmoment"),
    )
    description = models.TextField(_("omschrijving"))
    owner = models.ForeignKey(
        USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pa_follow_ups",
        verbose_name=_("eigenaar"),
    )
    due_date = models.DateField(_("uiterlijk"), null=True, blank=True)
    done_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("vervolgactie")
        verbose_name_plural = _("vervolgacties")
        indexes = [
            models.Index(
                fields=["owner", "due_date"],
                condition=Q(done_at__isnull=True),
                name="pa_followup_open_by_owner",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]


class MotionCoSubmitter(models.Model):
    """An organisation that submitted a motion or resolution together with others (M50, G40,
    P10, K80, ...): for VNG motions, and for Tweede Kamer motions the network worked on."""

    motion = models.ForeignKey(
        Motion, on_delete=models.CASCADE, related_name="co_submitters", verbose_name=_("motie")
    )
    organisation = models.ForeignKey(
        "contacts.Organisation",
        on_delete=models.PROTECT,
        related_name="pa_motions",
        verbose_name=_("organisatie"),
    )

    class Meta:
        ordering = ["motion", "organisation__name"]
        verbose_name = _("mede-indiener")
        verbose_name_plural = _("mede-indieners")
        constraints = [
            models.UniqueConstraint(
                fields=["motion", "organisation"], name="pa_motion_cosubmitter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.motion}"


class MotionOutcome(models.Model):
    """The outcome of a motion or resolution as the network records it: for the VNG's general
    meeting, which publishes no open data; a Tweede Kamer motion has its decisions."""

    class Outcome(models.TextChoices):
        PENDING = "", _("nog niet bekend")
        ADOPTED = "aangenomen", _("aangenomen")
        REJECTED = "verworpen", _("verworpen")
        WITHDRAWN = "ingetrokken", _("ingetrokken")
        HELD = "aangehouden", _("aangehouden")

    motion = models.OneToOneField(
        Motion, on_delete=models.CASCADE, related_name="network_outcome", verbose_name=_("motie")
    )
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=Outcome.choices, blank=True, default=""
    )
    decided_on = models.DateField(_("besloten op"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("uitkomst van een motie")
        verbose_name_plural = _("uitkomsten van moties")

    def __str__(self) -> str:
        return f"{self.motion}: {self.get_outcome_display()}"


class WatchMatch(models.Model):
    """A motion or Kamer activity that matches a dossier's watch terms or committees, for the
    lobbyist to accept (linked to the theme) or dismiss. Kept once decided, so that a refresh
    does not bring a dismissed one back."""

    class Status(models.TextChoices):
        OPEN = "open", _("te beoordelen")
        ACCEPTED = "accepted", _("geaccepteerd")
        DISMISSED = "dismissed", _("afgewezen")

    dossier = models.ForeignKey(
        ThemeDossier,
        on_delete=models.CASCADE,
        related_name="watch_matches",
        verbose_name=_("themadossier"),
    )
    motion = models.ForeignKey(
        Motion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="watch_matches",
        verbose_name=_("motie"),
    )
    activity = models.ForeignKey(
        ParliamentActivity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="watch_matches",
        verbose_name=_("Kameractiviteit"),
    )
    # The watch terms that matched (as typed), and whether a committee of the dossier did.
    matched_terms = models.JSONField(_("gevonden zoektermen"), default=list, blank=True)
    by_committee = models.BooleanField(_("via commissie"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    found_at = models.DateTimeField(_("gevonden"), auto_now_add=True)
    decided_by = models.ForeignKey(
        USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    decided_at = models.DateTimeField(_("beoordeeld"), null=True, blank=True)

    class Meta:
        ordering = ["-found_at", "pk"]
        verbose_name = _("signalering")
        verbose_name_plural = _("signaleringen")
        constraints = [
            models.CheckConstraint(
                condition=Q(motion__isnull=False, activity__isnull=True)
                | Q(motion__isnull=True, activity__isnull=False),
                name="pa_watch_motion_or_activity",
            ),
            models.UniqueConstraint(fields=["dossier", "motion"], name="pa_watch_motion_once"),
            models.UniqueConstraint(fields=["dossier", "activity"], name="pa_watch_activity_once"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.motion or self.activity}"
