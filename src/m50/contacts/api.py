"""/api/v1/organisaties: organisations and who holds which function there, by token only."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from m50.api.fields import BlankAsNullCharField, MappedChoiceField
from m50.api.viewsets import ReadOnlyApiViewSet
from m50.contacts import selectors
from m50.contacts.models import Organisation, Position

KIND_VALUES = selectors.KIND_PARAMETERS


class OrganisationFilterSerializer(serializers.Serializer):
    """The query parameters of the list; sources are the selector's arguments."""

    soort = MappedChoiceField(
        KIND_VALUES,
        source="kind",
        required=False,
        help_text=gettext_lazy("Alleen organisaties van deze soort."),
    )
    zoek = serializers.CharField(
        source="search",
        required=False,
        max_length=100,
        help_text=gettext_lazy("Zoek op (een deel van) de naam, of op de afkorting."),
    )


class OrganisationSerializer(serializers.Serializer):
    """Een organisatie: gemeente, ministerie, partnernetwerk, kennispartner, fractie of overig."""

    slug = serializers.SlugField(help_text=gettext_lazy("Vaste sleutel in de URL."))
    name = serializers.CharField()
    abbreviation = BlankAsNullCharField()
    kind = MappedChoiceField(KIND_VALUES)
    website = BlankAsNullCharField()
    municipalityCode = serializers.CharField(
        source="municipality.code",
        allow_null=True,
        help_text=gettext_lazy("CBS-code, als de organisatie een gemeente is."),
    )
    networkCode = serializers.CharField(
        source="network.code",
        allow_null=True,
        help_text=gettext_lazy("Netwerkcode, als de organisatie een netwerk van gemeenten is."),
    )


class PositionSerializer(serializers.Serializer):
    """De functie van een persoon bij de organisatie, van begin- tot en met einddatum."""

    personName = serializers.CharField(source="person.full_name")
    function = serializers.ChoiceField(choices=Position.Function.choices)
    title = BlankAsNullCharField(
        help_text=gettext_lazy("Functietitel zoals de organisatie die voert.")
    )
    portfolio = BlankAsNullCharField(help_text=gettext_lazy("Portefeuille (bij een wethouder)."))
    startDate = serializers.DateField(source="start_date", allow_null=True)
    endDate = serializers.DateField(source="end_date", allow_null=True)


class OrganisationDetailSerializer(OrganisationSerializer):
    """Een organisatie met wie er nu welke functie heeft."""

    description = BlankAsNullCharField()
    currentPositions = serializers.SerializerMethodField(
        method_name="get_current_positions",
        help_text=gettext_lazy("Wie er vandaag welke functie heeft."),
    )

    @extend_schema_field(PositionSerializer(many=True))
    def get_current_positions(self, organisation: Organisation) -> list[dict]:
        current, _past = selectors.split_current(organisation.positions.all())
        return PositionSerializer(current, many=True).data


@extend_schema(tags=["organisaties"])
class OrganisationViewSet(ReadOnlyApiViewSet):
    """Organisations (municipalities, ministries, partners, parliamentary groups) and people."""

    permission_rule = "contacts.view"
    serializer_class = OrganisationSerializer
    filter_serializer_class = OrganisationFilterSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return OrganisationDetailSerializer
        return OrganisationSerializer

    def get_queryset(self):
        return selectors.organisation_list(**self.get_filters())

    def get_object(self):
        try:
            return selectors.organisation_detail(slug=self.kwargs["slug"])
        except Organisation.DoesNotExist as exc:
            raise NotFound(
                _("Er is geen organisatie %(slug)s.") % {"slug": self.kwargs["slug"]}
            ) from exc

    @extend_schema(
        operation_id="listOrganisations",
        summary=gettext_lazy("Organisaties zoeken en filteren"),
        description=gettext_lazy(
            "Organisaties waarmee het M50 werkt. Alleen voor gebruikers van het platform:"
            " authenticeer met 'Authorization: Token <sleutel>'."
        ),
        parameters=[OrganisationFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getOrganisation",
        summary=gettext_lazy("Eén organisatie met de huidige functies van personen"),
        description=gettext_lazy(
            "Een organisatie met de personen die er vandaag een functie hebben: functie,"
            " functietitel, portefeuille, begin- en einddatum. Contactgegevens staan er niet in."
            " Alleen met een token."
        ),
        parameters=[
            OpenApiParameter(
                "slug",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description=gettext_lazy(
                    "De slug van de organisatie, bijvoorbeeld gemeente-diemen."
                ),
            )
        ],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
