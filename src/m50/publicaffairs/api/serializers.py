"""The serializers of public affairs' endpoints: query parameters and responses."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from m50.api.fields import BlankAsNullCharField, MappedChoiceField
from m50.api.serializers import StrictSerializer
from m50.contacts.models import Organisation, Person
from m50.knowledge.api.serializers import OrganisationReferenceSerializer
from m50.membership.api import MAX_ID, MunicipalityCodeField
from m50.municipalities import selectors as registry
from m50.municipalities.api import MunicipalityReferenceSerializer
from m50.pillars.api.common import (
    SLUG,
    PersonReferenceSerializer,
    PillarDateField,
    ThemeSlugField,
    ThemeSlugsField,
)
from m50.publicaffairs.models import (
    Committee,
    Fractie,
    Interaction,
    MemberOfParliament,
    Motion,
    MotionOutcome,
    MotionSubmitter,
)

# Public (Dutch) values of the API, mapped to the models' values.
SOURCE_VALUES = {"tweede-kamer": Motion.Source.TWEEDE_KAMER, "vng": Motion.Source.VNG}
RESULT_VALUES = {
    "aangenomen": "aangenomen",
    "verworpen": "verworpen",
    "ingetrokken": "ingetrokken",
    "aangehouden": "aangehouden",
}
OUTCOME_VALUES = {value: value for value in MotionOutcome.Outcome.values if value}
SUBMITTER_ROLE_VALUES = {
    "indiener": MotionSubmitter.Role.SUBMITTER,
    "medeondertekenaar": MotionSubmitter.Role.CO_SIGNER,
}
KIND_VALUES = {
    "bestuurlijk-gesprek": Interaction.Kind.TALK,
    "werkbezoek": Interaction.Kind.WORK_VISIT,
    "inbreng": Interaction.Kind.CONTRIBUTION,
    "overleg": Interaction.Kind.CONSULTATION,
    "mirt-tafel": Interaction.Kind.MIRT,
    "overig": Interaction.Kind.OTHER,
}


# --- Query parameters -------------------------------------------------------------------------


class RecordIdField(serializers.IntegerField):
    """The id of a record of ``model`` (as the API gives it), given back as the record."""

    model = None
    unknown = ""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        pk = super().run_validation(data)
        if pk is None:
            return None
        record = self.model.objects.filter(pk=pk).first()
        if record is None:
            raise serializers.ValidationError(self.unknown % {"id": pk}, code="unknown")
        return record


class FractieIdField(RecordIdField):
    model = Fractie
    unknown = gettext_lazy("Er is geen fractie %(id)s.")


class MemberIdField(RecordIdField):
    model = MemberOfParliament
    unknown = gettext_lazy("Er is geen Kamerlid %(id)s.")


class CommitteeIdField(RecordIdField):
    model = Committee
    unknown = gettext_lazy("Er is geen commissie %(id)s.")


class MemberFilterSerializer(serializers.Serializer):
    fractie = FractieIdField(
        required=False, help_text=gettext_lazy("Alleen Kamerleden van deze fractie (nummer).")
    )
    commissie = CommitteeIdField(
        source="committee",
        required=False,
        help_text=gettext_lazy("Alleen Kamerleden die nu in deze commissie zitten (nummer)."),
    )


class MotionFilterSerializer(serializers.Serializer):
    thema = ThemeSlugField(
        source="theme",
        required=False,
        help_text=gettext_lazy("Alleen moties van het themadossier met deze slug (zoals wonen)."),
    )
    fractie = FractieIdField(
        required=False,
        help_text=gettext_lazy(
            "Alleen moties met een indiener of medeondertekenaar van deze fractie (nummer)."
        ),
    )
    resultaat = MappedChoiceField(
        RESULT_VALUES,
        source="result",
        required=False,
        help_text=gettext_lazy(
            "Alleen moties met deze uitslag (een besluit van de Kamer, of de uitkomst van een"
            " motie van de VNG)."
        ),
    )
    van = PillarDateField(
        source="since", required=False, help_text=gettext_lazy("Alleen moties op of na deze dag.")
    )
    tot = PillarDateField(
        source="until",
        required=False,
        help_text=gettext_lazy("Alleen moties op of vóór deze dag."),
    )
    bron = MappedChoiceField(
        SOURCE_VALUES,
        source="source",
        required=False,
        help_text=gettext_lazy("Alleen moties van de Tweede Kamer of alleen die van de VNG."),
    )

    def validate(self, attrs):
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and until < since:
            raise serializers.ValidationError(
                {"tot": [_("De einddatum (tot) ligt vóór de begindatum (van).")]}, code="order"
            )
        return attrs


class VoteFilterSerializer(serializers.Serializer):
    tkBesluit = serializers.UUIDField(
        source="tk_decision",
        required=False,
        help_text=gettext_lazy("Alleen stemmen over het besluit met dit id van de Tweede Kamer."),
    )
    kamerlid = MemberIdField(
        source="member",
        required=False,
        help_text=gettext_lazy("Alleen stemmen van dit Kamerlid (nummer; hoofdelijke stemming)."),
    )
    fractie = FractieIdField(
        required=False, help_text=gettext_lazy("Alleen stemmen van deze fractie (nummer).")
    )


class InteractionFilterSerializer(serializers.Serializer):
    thema = ThemeSlugField(
        source="theme",
        required=False,
        help_text=gettext_lazy("Alleen contactmomenten met dit thema (slug, zoals wonen)."),
    )
    soort = MappedChoiceField(
        KIND_VALUES, source="kind", required=False, help_text=gettext_lazy("Alleen deze soort.")
    )
    kamerlid = MemberIdField(
        source="member",
        required=False,
        help_text=gettext_lazy("Alleen contactmomenten met dit Kamerlid (nummer)."),
    )
    fractie = FractieIdField(
        required=False,
        help_text=gettext_lazy(
            "Alleen contactmomenten met deze fractie of een van haar Kamerleden (nummer)."
        ),
    )


# --- References -------------------------------------------------------------------------------


class FractieReferenceSerializer(serializers.Serializer):
    """Een fractie."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer (zie /fracties)."))
    abbreviation = BlankAsNullCharField(help_text=gettext_lazy("Afkorting; null als onbekend."))
    name = BlankAsNullCharField(help_text=gettext_lazy("Naam; null als onbekend."))


class MemberReferenceSerializer(serializers.Serializer):
    """Een Kamerlid."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer (zie /kamerleden)."))
    name = serializers.CharField(source="__str__", help_text=gettext_lazy("Naam."))


class CommitteeReferenceSerializer(serializers.Serializer):
    """Een commissie van de Tweede Kamer."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van de commissie."))
    name = BlankAsNullCharField(help_text=gettext_lazy("Naam; null als onbekend."))
    abbreviation = BlankAsNullCharField(help_text=gettext_lazy("Afkorting; null als onbekend."))


class ThemeReferenceSerializer(serializers.Serializer):
    """Een thema van de gedeelde lijst."""

    slug = serializers.SlugField(help_text=gettext_lazy("Vaste sleutel, zoals wonen."))
    name = serializers.CharField(help_text=gettext_lazy("Naam."))


# --- Theme dossiers ---------------------------------------------------------------------------


class DossierPositionSerializer(serializers.Serializer):
    """De huidige versie van het standpunt van het netwerk."""

    version = serializers.IntegerField(
        source="position_number", help_text=gettext_lazy("Versienummer, vanaf 1.")
    )
    text = serializers.CharField(source="position_text", help_text=gettext_lazy("Standpunt."))
    createdAt = serializers.DateTimeField(
        source="position_created_at", help_text=gettext_lazy("Vastgelegd op.")
    )


class ThemeDossierSerializer(serializers.Serializer):
    """Het dossier van een thema: standpunt, doelen, zoektermen, commissies en moties."""

    theme = ThemeReferenceSerializer(help_text=gettext_lazy("Het thema."))
    position = serializers.SerializerMethodField(
        help_text=gettext_lazy("Het huidige standpunt; null als er nog geen is.")
    )
    goals = BlankAsNullCharField(help_text=gettext_lazy("Doelen; null als er geen zijn."))
    watchTerms = serializers.ListField(
        source="watch_terms",
        child=serializers.CharField(),
        help_text=gettext_lazy("Zoektermen waarmee nieuwe moties en debatten worden gesignaleerd."),
    )
    committees = CommitteeReferenceSerializer(
        many=True, help_text=gettext_lazy("De commissies van de Tweede Kamer die het volgt.")
    )
    motionIds = serializers.SerializerMethodField(
        help_text=gettext_lazy("De nummers van de gekoppelde moties (zie /moties).")
    )
    updatedAt = serializers.DateTimeField(
        source="updated_at", help_text=gettext_lazy("Bijgewerkt op.")
    )

    @extend_schema_field(DossierPositionSerializer(allow_null=True))
    def get_position(self, dossier) -> dict | None:
        if dossier.position_number is None:
            return None
        return DossierPositionSerializer(dossier).data

    def get_motionIds(self, dossier) -> list[int]:  # noqa: N802 (the public name)
        return [motion.pk for motion in dossier.motions.all()]


# --- Kamerleden and fracties ------------------------------------------------------------------


class CommitteeSeatSerializer(serializers.Serializer):
    """Een zetel in een commissie."""

    committee = CommitteeReferenceSerializer(help_text=gettext_lazy("De commissie."))
    function = BlankAsNullCharField(
        help_text=gettext_lazy("Functie, zoals Lid of Voorzitter; null als onbekend.")
    )
    substitute = serializers.BooleanField(help_text=gettext_lazy("Plaatsvervangend lid."))
    start = serializers.DateField(
        allow_null=True, help_text=gettext_lazy("Sinds; null als onbekend.")
    )


class MemberSerializer(serializers.Serializer):
    """Een Kamerlid volgens de open data van de Tweede Kamer: naam, functie, fractie,
    woonplaats en commissies (geen andere persoonsgegevens)."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van het Kamerlid."))
    tkId = serializers.UUIDField(source="tk_id", help_text=gettext_lazy("Id bij de Tweede Kamer."))
    name = serializers.CharField(source="__str__", help_text=gettext_lazy("Naam."))
    titles = BlankAsNullCharField(help_text=gettext_lazy("Titels; null als geen."))
    initials = BlankAsNullCharField(help_text=gettext_lazy("Voorletters; null als onbekend."))
    firstName = BlankAsNullCharField(
        source="first_name", help_text=gettext_lazy("Roepnaam; null als onbekend.")
    )
    surnamePrefix = BlankAsNullCharField(
        source="surname_prefix", help_text=gettext_lazy("Tussenvoegsel; null als geen.")
    )
    surname = BlankAsNullCharField(help_text=gettext_lazy("Achternaam; null als onbekend."))
    function = BlankAsNullCharField(help_text=gettext_lazy("Functie; null als onbekend."))
    residence = BlankAsNullCharField(help_text=gettext_lazy("Woonplaats; null als onbekend."))
    municipality = MunicipalityReferenceSerializer(
        allow_null=True,
        help_text=gettext_lazy("De gemeente van de woonplaats; null als die niet eenduidig is."),
    )
    fractie = FractieReferenceSerializer(
        allow_null=True, help_text=gettext_lazy("De huidige fractie; null als geen.")
    )
    committees = CommitteeSeatSerializer(
        source="current_committee_seats",
        many=True,
        help_text=gettext_lazy("De huidige zetels in commissies."),
    )


class FractieSerializer(serializers.Serializer):
    """Een fractie in de Tweede Kamer, huidige of vroegere."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van de fractie."))
    tkId = serializers.UUIDField(source="tk_id", help_text=gettext_lazy("Id bij de Tweede Kamer."))
    name = BlankAsNullCharField(help_text=gettext_lazy("Naam; null als onbekend."))
    abbreviation = BlankAsNullCharField(help_text=gettext_lazy("Afkorting; null als onbekend."))
    seats = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Zetels; null als onbekend.")
    )
    activeFrom = serializers.DateField(
        source="active_from", allow_null=True, help_text=gettext_lazy("Actief vanaf.")
    )
    activeTo = serializers.DateField(
        source="active_to",
        allow_null=True,
        help_text=gettext_lazy("Actief tot en met; null voor een actieve fractie."),
    )
    active = serializers.BooleanField(source="is_active", help_text=gettext_lazy("Actief."))


# --- Motions and votes ------------------------------------------------------------------------


class SubmitterSerializer(serializers.Serializer):
    """Een indiener of medeondertekenaar van een motie."""

    memberId = serializers.IntegerField(
        source="member_id",
        allow_null=True,
        help_text=gettext_lazy("Het nummer van het Kamerlid; null als dat (nog) niet bekend is."),
    )
    name = serializers.CharField(help_text=gettext_lazy("Naam."))
    fractie = BlankAsNullCharField(
        source="fractie_name", help_text=gettext_lazy("De fractie; null als onbekend.")
    )
    role = MappedChoiceField(
        SUBMITTER_ROLE_VALUES, enum_name="MotionSubmitterRole", help_text=gettext_lazy("Rol.")
    )


class ParliamentDecisionSerializer(serializers.Serializer):
    """Een besluit van de Tweede Kamer over de motie."""

    tkId = serializers.UUIDField(source="tk_id", help_text=gettext_lazy("Id bij de Tweede Kamer."))
    kind = BlankAsNullCharField(help_text=gettext_lazy("Soort besluit."))
    text = BlankAsNullCharField(help_text=gettext_lazy("Het besluit."))
    result = BlankAsNullCharField(
        help_text=gettext_lazy("Uitslag, zoals Aangenomen of Verworpen; null als geen.")
    )
    voteKind = BlankAsNullCharField(source="vote_kind", help_text=gettext_lazy("Soort stemming."))
    voteCount = BlankAsNullCharField(
        source="vote_count", help_text=gettext_lazy("Stemverhouding voor–tegen.")
    )


class OutcomeSerializer(serializers.Serializer):
    """De uitkomst van een motie van de VNG, zoals het netwerk die vastlegt."""

    outcome = MappedChoiceField(
        OUTCOME_VALUES,
        enum_name="MotionOutcome",
        allow_null=True,
        help_text=gettext_lazy("Uitkomst; null zolang die niet bekend is."),
    )
    decidedOn = serializers.DateField(
        source="decided_on", allow_null=True, help_text=gettext_lazy("Besloten op.")
    )
    note = BlankAsNullCharField(help_text=gettext_lazy("Toelichting; null als geen."))


class MotionSerializer(serializers.Serializer):
    """Een motie van de Tweede Kamer of een motie of resolutie van de VNG."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van de motie."))
    source = MappedChoiceField(
        SOURCE_VALUES, enum_name="MotionSource", help_text=gettext_lazy("De bron.")
    )
    tkId = serializers.UUIDField(
        source="tk_id", allow_null=True, help_text=gettext_lazy("Id bij de Tweede Kamer.")
    )
    number = BlankAsNullCharField(help_text=gettext_lazy("Nummer, zoals 36200-VII-12."))
    kind = BlankAsNullCharField(help_text=gettext_lazy("Soort."))
    title = BlankAsNullCharField(help_text=gettext_lazy("Titel."))
    subject = BlankAsNullCharField(help_text=gettext_lazy("Onderwerp."))
    date = serializers.DateField(allow_null=True, help_text=gettext_lazy("Datum."))
    status = BlankAsNullCharField(help_text=gettext_lazy("Status bij de Tweede Kamer."))
    committee = CommitteeReferenceSerializer(
        allow_null=True, help_text=gettext_lazy("De commissie; null als geen.")
    )
    cabinetAppraisal = BlankAsNullCharField(
        source="cabinet_appraisal", help_text=gettext_lazy("Appreciatie van het kabinet.")
    )
    themes = serializers.SerializerMethodField(
        help_text=gettext_lazy("De thema's van de dossiers waaraan de motie gekoppeld is (slugs).")
    )
    submitters = SubmitterSerializer(
        many=True, help_text=gettext_lazy("Indieners en medeondertekenaars.")
    )
    coSubmitters = serializers.SerializerMethodField(
        help_text=gettext_lazy("Organisaties die mede indienden (M50, G40, P10, K80, ...).")
    )
    decisions = ParliamentDecisionSerializer(
        many=True, help_text=gettext_lazy("De besluiten van de Tweede Kamer.")
    )
    outcome = serializers.SerializerMethodField(
        help_text=gettext_lazy("De vastgelegde uitkomst (VNG); null als er geen is.")
    )

    def get_themes(self, motion) -> list[str]:
        return [dossier.theme.slug for dossier in motion.theme_dossiers.all()]

    @extend_schema_field(OrganisationReferenceSerializer(many=True))
    def get_coSubmitters(self, motion) -> list[dict]:  # noqa: N802 (the public name)
        return [
            {"slug": link.organisation.slug, "name": link.organisation.name}
            for link in motion.co_submitters.all()
        ]

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_outcome(self, motion) -> dict | None:
        try:
            outcome = motion.network_outcome
        except MotionOutcome.DoesNotExist:
            return None
        return OutcomeSerializer(outcome).data


class VoteSerializer(serializers.Serializer):
    """Een stem over een besluit: van een fractie, of in een hoofdelijke stemming van een
    Kamerlid."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van de stem."))
    tkId = serializers.UUIDField(source="tk_id", help_text=gettext_lazy("Id bij de Tweede Kamer."))
    tkBesluit = serializers.SerializerMethodField(
        help_text=gettext_lazy("Id van het besluit bij de Tweede Kamer; null als onbekend.")
    )
    motionId = serializers.SerializerMethodField(
        help_text=gettext_lazy("Het nummer van de motie (zie /moties); null als niet bekend.")
    )
    kind = BlankAsNullCharField(help_text=gettext_lazy("De stem: Voor, Tegen, ..."))
    fractie = FractieReferenceSerializer(
        allow_null=True, help_text=gettext_lazy("De fractie; null als (nog) niet bekend.")
    )
    member = MemberReferenceSerializer(
        allow_null=True,
        help_text=gettext_lazy("Het Kamerlid, bij een hoofdelijke stemming; anders null."),
    )
    actorName = BlankAsNullCharField(
        source="actor_name", help_text=gettext_lazy("Naam van wie stemde.")
    )
    actorFractie = BlankAsNullCharField(
        source="actor_fractie", help_text=gettext_lazy("Fractie van wie stemde.")
    )
    fractieSize = serializers.IntegerField(
        source="fractie_size", allow_null=True, help_text=gettext_lazy("Fractiegrootte.")
    )
    mistake = serializers.BooleanField(
        help_text=gettext_lazy("Vergissing: de stem was anders bedoeld.")
    )

    def get_tkBesluit(self, vote) -> str | None:  # noqa: N802 (the public name)
        value = vote.decision.tk_id if vote.decision_id else vote.tk_decision_id
        return str(value) if value else None

    def get_motionId(self, vote) -> int | None:  # noqa: N802 (the public name)
        return vote.decision.motion_id if vote.decision_id else None


# --- Contacts ---------------------------------------------------------------------------------


class InteractionSerializer(serializers.Serializer):
    """Een contactmoment: een gesprek, werkbezoek, inbreng, overleg of MIRT-tafel."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van het contactmoment."))
    kind = MappedChoiceField(
        KIND_VALUES, enum_name="InteractionKind", help_text=gettext_lazy("Soort.")
    )
    date = serializers.DateField(help_text=gettext_lazy("Datum."))
    subject = serializers.CharField(help_text=gettext_lazy("Onderwerp."))
    themes = serializers.SerializerMethodField(help_text=gettext_lazy("De thema's (slugs)."))
    members = MemberReferenceSerializer(many=True, help_text=gettext_lazy("De Kamerleden."))
    fracties = FractieReferenceSerializer(many=True, help_text=gettext_lazy("De fracties."))
    organisations = OrganisationReferenceSerializer(
        many=True, help_text=gettext_lazy("De organisaties.")
    )
    networkPeople = PersonReferenceSerializer(
        source="network_people", many=True, help_text=gettext_lazy("Namens het netwerk.")
    )
    otherPeople = PersonReferenceSerializer(
        source="other_people", many=True, help_text=gettext_lazy("Gesprekspartners.")
    )
    municipality = MunicipalityReferenceSerializer(
        allow_null=True, help_text=gettext_lazy("De gemeente (bij een werkbezoek); anders null.")
    )
    activityId = serializers.IntegerField(
        source="activity_id",
        allow_null=True,
        help_text=gettext_lazy("De activiteit (zie /activiteiten); null als geen."),
    )
    series = serializers.SerializerMethodField(
        help_text=gettext_lazy("Het terugkerend overleg waarvan het deel is; null als geen.")
    )
    outcome = BlankAsNullCharField(help_text=gettext_lazy("Uitkomst; null als niet vastgelegd."))
    confidentialNote = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Vertrouwelijke notitie: alleen voor public affairs en het bureau; voor anderen"
            " altijd null."
        )
    )

    def get_themes(self, interaction) -> list[str]:
        return [theme.slug for theme in interaction.themes.all()]

    def get_series(self, interaction) -> str | None:
        return interaction.series.name if interaction.series_id else None

    def get_confidentialNote(self, interaction) -> str | None:  # noqa: N802 (the public name)
        # Checked before the attribute is touched: for other readers it was never selected.
        if not self.context.get("sees_confidential"):
            return None
        return interaction.confidential_note or None


class FollowUpSerializer(serializers.Serializer):
    """Een afgesproken vervolgactie."""

    description = serializers.CharField(help_text=gettext_lazy("Omschrijving."))
    dueDate = serializers.DateField(
        source="due_date", allow_null=True, help_text=gettext_lazy("Uiterlijk; null als geen.")
    )
    done = serializers.SerializerMethodField(help_text=gettext_lazy("Gedaan."))

    def get_done(self, follow_up) -> bool:
        return follow_up.done_at is not None


class InteractionDetailSerializer(InteractionSerializer):
    """Een contactmoment met zijn vervolgacties."""

    followUps = FollowUpSerializer(
        source="follow_ups", many=True, help_text=gettext_lazy("De vervolgacties.")
    )


# --- Request bodies ---------------------------------------------------------------------------

MAX_LINKS = 50
# Service field names as the API names them, for a service's refusal.
INTERACTION_FIELDS = {
    "kind": "kind",
    "date": "date",
    "subject": "subject",
    "municipality": "municipality",
    "themes": "themes",
    "outcome": "outcome",
    "confidential_note": "confidentialNote",
}


class RecordIdsField(serializers.ListField):
    """Ids of records of ``model``, given back as the records in one query; an unknown id is
    named in the refusal."""

    model = None
    unknown = ""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_LINKS)
        super().__init__(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
            allow_empty=True,
            **kwargs,
        )

    def to_internal_value(self, data):
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        found = self.model.objects.in_bulk(ids)
        unknown = [pk for pk in ids if pk not in found]
        if unknown:
            raise serializers.ValidationError(self.unknown % {"id": unknown[0]}, code="unknown")
        return [found[pk] for pk in ids]


class MemberIdsField(RecordIdsField):
    model = MemberOfParliament
    unknown = gettext_lazy("Er is geen Kamerlid %(id)s.")


class FractieIdsField(RecordIdsField):
    model = Fractie
    unknown = gettext_lazy("Er is geen fractie %(id)s.")


class PersonIdsField(RecordIdsField):
    model = Person
    unknown = gettext_lazy("Er is geen persoon %(id)s.")


class OrganisationSlugsField(serializers.ListField):
    """Slugs of organisations (see /organisaties), given back as the organisations."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_LINKS)
        super().__init__(
            child=serializers.RegexField(f"^{SLUG}$", max_length=100), allow_empty=True, **kwargs
        )

    def to_internal_value(self, data):
        slugs = list(dict.fromkeys(super().to_internal_value(data)))
        found = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise serializers.ValidationError(
                _("Er is geen organisatie %(slug)s.") % {"slug": unknown[0]}, code="unknown"
            )
        return [found[slug] for slug in slugs]


class InteractionCreateSerializer(StrictSerializer):
    """Een contactmoment om vast te leggen."""

    kind = MappedChoiceField(
        KIND_VALUES, enum_name="InteractionKind", help_text=gettext_lazy("Soort.")
    )
    date = PillarDateField(help_text=gettext_lazy("Datum."))
    subject = serializers.CharField(max_length=300, help_text=gettext_lazy("Onderwerp."))
    themes = ThemeSlugsField(
        required=False, help_text=gettext_lazy("De thema's (slugs, zoals wonen).")
    )
    memberIds = MemberIdsField(
        source="members", required=False, help_text=gettext_lazy("De Kamerleden (nummers).")
    )
    fractieIds = FractieIdsField(
        source="fracties", required=False, help_text=gettext_lazy("De fracties (nummers).")
    )
    organisations = OrganisationSlugsField(
        required=False, help_text=gettext_lazy("De organisaties (slugs, zie /organisaties).")
    )
    networkPersonIds = PersonIdsField(
        source="network_people",
        required=False,
        help_text=gettext_lazy("Wie namens het netwerk deelnam (nummers van personen)."),
    )
    otherPersonIds = PersonIdsField(
        source="other_people",
        required=False,
        help_text=gettext_lazy("De gesprekspartners (nummers van personen)."),
    )
    municipality = MunicipalityCodeField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("De gemeente (CBS-code); bij een werkbezoek verplicht."),
    )
    outcome = serializers.CharField(
        required=False, allow_blank=True, max_length=10000, help_text=gettext_lazy("Uitkomst.")
    )
    confidentialNote = serializers.CharField(
        source="confidential_note",
        required=False,
        allow_blank=True,
        max_length=10000,
        help_text=gettext_lazy("Vertrouwelijke notitie: alleen public affairs en het bureau."),
    )

    def validate_municipality(self, code):
        if code is None:
            return None
        municipality = registry.municipality_queryset().filter(code=code).first()
        if municipality is None:
            raise serializers.ValidationError(
                _("Onbekende gemeente %(code)s.") % {"code": code}, code="unknown"
            )
        return municipality
