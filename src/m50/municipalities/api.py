"""/api/v1/gemeenten: the municipality registry, public and read-only."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from m50.api.fields import BlankAsNullCharField, MappedChoiceField
from m50.api.viewsets import ReadOnlyApiViewSet
from m50.core.conditional import public_api
from m50.core.versions import REGISTRY
from m50.municipalities import selectors
from m50.municipalities.eligibility import Band, BandLimits
from m50.municipalities.models import BoundaryChange, Municipality

# Public (Dutch) values of the API, mapped to the values of the selectors and models.
STATUS_VALUES = {
    "actief": selectors.Status.ACTIVE,
    "opgeheven": selectors.Status.DISSOLVED,
    "alle": selectors.Status.ALL,
}
BAND_FILTER_VALUES = {"binnen": selectors.BandFilter.IN, "buiten": selectors.BandFilter.OUT}
ORDERING_VALUES = {
    "naam": selectors.Ordering.NAME,
    "-inwoners": selectors.Ordering.POPULATION_DESC,
    "inwoners": selectors.Ordering.POPULATION_ASC,
}
BAND_VALUES = {"onder": Band.BELOW, "binnen": Band.IN, "boven": Band.ABOVE}
BAND_NAMES = {band: name for name, band in BAND_VALUES.items()}
REDIVISION_TYPE_VALUES = {
    "samenvoeging-nieuwe-code": BoundaryChange.Kind.MERGER_NEW_CODE,
    "samenvoeging-code-behouden": BoundaryChange.Kind.MERGER_KEEP_CODE,
    "samenvoeging-verdeeld": BoundaryChange.Kind.MERGER_DIVIDED,
    "splitsing": BoundaryChange.Kind.SPLIT,
    "grenscorrectie": BoundaryChange.Kind.BOUNDARY_CORRECTION,
}


class MunicipalityFilterSerializer(serializers.Serializer):
    """The query parameters of the list, named as on the HTML list; sources are selector args."""

    zoek = serializers.CharField(
        source="search",
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Zoek op de naam of een gangbare andere naam (Den Haag, Den Bosch), of op het begin "
            "van woorden ervan; hoofdletters, accenten en leestekens tellen niet. Of op de "
            "CBS-code (GM0384 of 0384)."
        ),
    )
    provincie = serializers.CharField(
        source="province",
        required=False,
        max_length=4,
        help_text=gettext_lazy("CBS-code van de provincie, bijvoorbeeld PV27 (Noord-Holland)."),
    )
    bandbreedte = MappedChoiceField(
        BAND_FILTER_VALUES,
        source="band",
        required=False,
        help_text=gettext_lazy(
            "Binnen of buiten de bandbreedte van het M50 (laatste inwonertal op 1 januari)."
        ),
    )
    netwerk = serializers.CharField(
        source="network",
        required=False,
        max_length=10,
        help_text=gettext_lazy("Code van een netwerk waarin de gemeente vermeld staat, zoals M50."),
    )
    status = MappedChoiceField(
        STATUS_VALUES,
        required=False,
        default="actief",
        help_text=gettext_lazy("Bestaande gemeenten (standaard), opgeheven gemeenten of alle."),
    )
    sorteer = MappedChoiceField(
        ORDERING_VALUES,
        source="ordering",
        required=False,
        default="naam",
        help_text=gettext_lazy("Op naam (standaard), of op inwonertal: aflopend of oplopend."),
    )

    def validate_provincie(self, value: str) -> str:
        code = value.strip().upper()
        if not selectors.province_list().filter(code=code).exists():
            raise serializers.ValidationError(
                _("Onbekende provincie %(code)s; gebruik een CBS-code als PV27.") % {"code": value},
                code="unknown",
            )
        return code

    def validate_netwerk(self, value: str) -> str:
        code = value.strip().upper()
        if not selectors.network_list().filter(code=code).exists():
            raise serializers.ValidationError(
                _("Onbekend netwerk %(code)s.") % {"code": value}, code="unknown"
            )
        return code


class ProvinceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=gettext_lazy("CBS-code, bijvoorbeeld PV27."))
    name = serializers.CharField()


class MunicipalityReferenceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=gettext_lazy("CBS-code, bijvoorbeeld GM0384."))
    name = serializers.CharField()


class MunicipalitySerializer(serializers.Serializer):
    """Een gemeente met de kerncijfers van de laatste CBS-telling."""

    code = serializers.CharField(help_text=gettext_lazy("CBS-code, bijvoorbeeld GM0384."))
    name = serializers.CharField()
    province = ProvinceSerializer()
    establishedOn = serializers.DateField(
        source="established_on",
        allow_null=True,
        help_text=gettext_lazy("Ontstaan op; leeg als dat vóór 2019 was (begin van de gegevens)."),
    )
    dissolvedOn = serializers.DateField(
        source="dissolved_on",
        allow_null=True,
        help_text=gettext_lazy("Opgeheven op; leeg voor een bestaande gemeente."),
    )
    latestPopulation = serializers.IntegerField(
        source="latest_population",
        allow_null=True,
        help_text=gettext_lazy("Inwoners op 1 januari van het laatste jaar met een CBS-telling."),
    )
    latestPopulationYear = serializers.IntegerField(
        source="latest_population_year",
        allow_null=True,
        help_text=gettext_lazy("Het jaar van latestPopulation."),
    )
    band = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Ligt latestPopulation onder, binnen of boven de bandbreedte van het M50?"
        )
    )
    isM50Member = serializers.BooleanField(
        source="is_m50_member",
        help_text=gettext_lazy("Staat de gemeente op de ledenlijst van het M50?"),
    )

    @extend_schema_field(MappedChoiceField(BAND_VALUES, allow_null=True))
    def get_band(self, municipality: Municipality) -> str | None:
        band = BandLimits.from_settings().classify(municipality.latest_population)
        return BAND_NAMES.get(band)


class PopulationCountSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text=gettext_lazy("Telling op 1 januari van dit jaar."))
    inhabitants = serializers.IntegerField()
    source = serializers.CharField()


class NetworkMembershipSerializer(serializers.Serializer):
    """Een gepubliceerd feit: het netwerk noemt de gemeente als lid, volgens de bron."""

    network = serializers.CharField(source="network.code", help_text=gettext_lazy("Netwerkcode."))
    networkName = serializers.CharField(source="network.name")
    asOf = serializers.CharField(
        source="as_of",
        help_text=gettext_lazy("Peildatum zoals de bron die noemt, bijvoorbeeld 2023-04."),
    )
    status = serializers.CharField(help_text=gettext_lazy("Status zoals de bron die noemt."))
    source = serializers.URLField(source="source_url")


class PredecessorSerializer(serializers.Serializer):
    """Een gemeente die (deels) in deze gemeente is opgegaan."""

    municipality = MunicipalityReferenceSerializer(source="predecessor")
    effectiveOn = serializers.DateField(source="effective_on")
    type = MappedChoiceField(REDIVISION_TYPE_VALUES, source="kind")
    predecessorInhabitants = serializers.IntegerField(
        source="predecessor_inhabitants",
        allow_null=True,
        help_text=gettext_lazy("Inwoners van de opgeheven of afstaande gemeente, de dag ervoor."),
    )
    transferredInhabitants = serializers.IntegerField(
        source="transferred_inhabitants",
        allow_null=True,
        help_text=gettext_lazy("Inwoners die overgingen."),
    )


class SuccessorSerializer(serializers.Serializer):
    """Een gemeente waarin deze gemeente (deels) is opgegaan."""

    municipality = MunicipalityReferenceSerializer(source="successor")
    effectiveOn = serializers.DateField(source="effective_on")
    type = MappedChoiceField(REDIVISION_TYPE_VALUES, source="kind")
    predecessorInhabitants = serializers.IntegerField(
        source="predecessor_inhabitants",
        allow_null=True,
        help_text=gettext_lazy("Inwoners van deze gemeente, de dag voor de herindeling."),
    )
    transferredInhabitants = serializers.IntegerField(
        source="transferred_inhabitants",
        allow_null=True,
        help_text=gettext_lazy("Inwoners die overgingen."),
    )


class IdentifiersSerializer(serializers.Serializer):
    """Identificatie uit de overheidsregisters; null waar onbekend."""

    oin = BlankAsNullCharField(
        help_text=gettext_lazy("Organisatie-identificatienummer (ook het e-factuuradres, 0190).")
    )
    kvk = BlankAsNullCharField(help_text=gettext_lazy("KvK-nummer."))
    rsin = BlankAsNullCharField(help_text=gettext_lazy("RSIN."))
    source = BlankAsNullCharField(source="identifiers_source")
    asOf = serializers.DateField(source="identifiers_as_of", allow_null=True)


class MunicipalityDetailSerializer(MunicipalitySerializer):
    """Een gemeente met inwonerreeks, netwerken, herindelingen en identificatie."""

    populationSeries = PopulationCountSerializer(source="population_counts", many=True)
    networkMemberships = NetworkMembershipSerializer(source="network_memberships", many=True)
    predecessors = PredecessorSerializer(source="predecessor_links", many=True)
    successors = SuccessorSerializer(source="successor_links", many=True)
    identifiers = IdentifiersSerializer(source="*")


@extend_schema(tags=["gemeenten"])
class MunicipalityViewSet(ReadOnlyApiViewSet):
    """Every Dutch municipality of the CBS registry, with population and network listings."""

    permission_rule = "registry.view"
    serializer_class = MunicipalitySerializer
    filter_serializer_class = MunicipalityFilterSerializer
    lookup_field = "code"
    # Only a CBS code reaches the database (a NUL byte would make PostgreSQL fail).
    lookup_value_regex = "[Gg][Mm][0-9]{4}"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MunicipalityDetailSerializer
        return MunicipalitySerializer

    def get_queryset(self):
        return selectors.municipality_list(**self.get_filters())

    def get_object(self):
        try:
            return selectors.municipality_detail(code=self.kwargs["code"])
        except Municipality.DoesNotExist as exc:
            raise NotFound(
                _("Er is geen gemeente met CBS-code %(code)s.") % {"code": self.kwargs["code"]}
            ) from exc

    @extend_schema(
        operation_id="listMunicipalities",
        summary=gettext_lazy("Gemeenten zoeken en filteren"),
        description=gettext_lazy(
            "Alle Nederlandse gemeenten volgens het CBS, met het laatste inwonertal op 1 januari,"
            " de bandbreedte van het M50 en het lidmaatschap van het M50. Openbaar."
        ),
        parameters=[MunicipalityFilterSerializer],
    )
    @public_api(REGISTRY)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getMunicipality",
        summary=gettext_lazy("Eén gemeente met inwoners, netwerken en herindelingen"),
        description=gettext_lazy(
            "Een gemeente op CBS-code: inwoners per 1 januari met bron, vermeldingen in netwerken"
            " (M50, G4, G40, P10, K80) als feiten met peildatum en bron, voorgangers en opvolgers"
            " na herindelingen, en OIN, KvK-nummer en RSIN. Openbaar."
        ),
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                pattern=r"^[Gg][Mm][0-9]{4}$",
                description=gettext_lazy("CBS-code van de gemeente, bijvoorbeeld GM0384."),
            )
        ],
    )
    @public_api(REGISTRY)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
