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
