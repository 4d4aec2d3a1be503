"""/api/v1/aanmeldingen: the caller's own registrations, and for an activity's organiser all of
its registrations in the order of the queue; registering and withdrawing through the same
services as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from m50.activities import rules, selectors, services
from m50.activities.api.common import (
    ORIGIN,
    REGISTRATION_FIELDS,
    STATE_VALUES,
    ActivityReferenceSerializer,
    queue_order,
    with_waiting_position,
)
from m50.activities.models import Activity, Registration
from m50.api.fields import BlankAsNullCharField, MappedChoiceField
from m50.api.problems import Conflict
from m50.api.serializers import StrictSerializer
from m50.api.viewsets import ApiViewSet
from m50.contacts.models import Person
from m50.membership.api import MAX_ID
from m50.municipalities.api import MunicipalityReferenceSerializer
from m50.pillars.api.common import (
    PersonReferenceSerializer,
    created,
    id_from_path,
    id_parameter,
    location_parameter,
    service_error,
)

RULE = "activities.register"


def _visible_activity(user, pk: int) -> Activity:
    try:
        return selectors.activity_detail(user=user, pk=pk)
    except Activity.DoesNotExist:
        raise serializers.ValidationError(
            _("Er is geen activiteit %(id)s.") % {"id": pk}, code="unknown"
        ) from None


class RegistrationFilterSerializer(serializers.Serializer):
    activiteit = serializers.IntegerField(
        source="activity",
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy(
            "Alleen de aanmeldingen voor deze activiteit: voor de organisator alle, voor"
            " anderen de eigen."
        ),
    )
    status = MappedChoiceField(
        STATE_VALUES,
        source="state",
        required=False,
        help_text=gettext_lazy("Alleen aanmeldingen met deze status."),
    )

    def validate_activiteit(self, pk: int) -> Activity:
        return _visible_activity(self.context["request"].user, pk)


class RegistrationSerializer(serializers.Serializer):
    """Een aanmelding voor een activiteit: een plaats, een plaats op de wachtlijst (op volgorde
    van aanmelden), of afgemeld."""

    id = serializers.IntegerField(help_text=gettext_lazy("Het nummer van de aanmelding."))
    activity = ActivityReferenceSerializer(help_text=gettext_lazy("De activiteit."))
    person = PersonReferenceSerializer(help_text=gettext_lazy("Wie is aangemeld."))
    municipality = MunicipalityReferenceSerializer(
        allow_null=True,
        help_text=gettext_lazy("De gemeente waarvoor de persoon komt; null: geen gemeente."),
    )
    state = MappedChoiceField(
        STATE_VALUES,
        enum_name="RegistrationState",
        help_text=gettext_lazy("geplaatst, wachtlijst of afgemeld."),
    )
    waitingPosition = serializers.IntegerField(
        source="waiting_position",
        allow_null=True,
        help_text=gettext_lazy(
            "Plaats op de wachtlijst (1 is de volgende); null als de status geen wachtlijst is."
        ),
    )
    registeredAt = serializers.DateTimeField(
        source="registered_at", help_text=gettext_lazy("Aangemeld op.")
    )
    promotedAt = serializers.DateTimeField(
        source="promoted_at",
        allow_null=True,
        help_text=gettext_lazy("Van de wachtlijst geplaatst op; null als dat niet gebeurde."),
    )
    cancelledAt = serializers.DateTimeField(
        source="cancelled_at",
        allow_null=True,
        help_text=gettext_lazy("Afgemeld op; null zolang de aanmelding loopt."),
    )
    note = BlankAsNullCharField(
        help_text=gettext_lazy("Opmerking bij de aanmelding (zoals een dieetwens); of null.")
    )


class RegistrationCreateSerializer(StrictSerializer):
    """Een aanmelding: uzelf, of (als organisator) iemand anders."""

    activityId = serializers.IntegerField(
        source="activity",
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy("Het nummer van de activiteit."),
    )
    personId = serializers.IntegerField(
        source="person",
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Wie wordt aangemeld (zie /organisaties); zonder: uzelf. Iemand anders aanmelden"
            " doet de organisator."
        ),
    )
    note = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Een opmerking, zoals een dieetwens."),
    )

    def validate_activityId(self, pk: int) -> Activity:  # noqa: N802 (the public name)
        return _visible_activity(self.context["request"].user, pk)

    def validate_personId(self, pk: int | None):  # noqa: N802 (the public name)
        if pk is None:
            return None
        person = Person.objects.filter(pk=pk).first()
        if person is None:
            raise serializers.ValidationError(
                _("Er is geen persoon %(id)s.") % {"id": pk}, code="unknown"
            )
        return person


REGISTER_EXAMPLE = OpenApiExample(
    "uzelf",
    summary=gettext_lazy("Uzelf aanmelden, met een dieetwens"),
    request_only=True,
    value={"activityId": 12, "note": "vegetarisch"},
)
REGISTRATION_ID = id_parameter(gettext_lazy("Het nummer van de aanmelding."))


def registration_queryset():
    return with_waiting_position(
        Registration.objects.select_related("activity", "person", "municipality")
    )


@extend_schema(tags=["aanmeldingen"])
class RegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Registrations, for logged-in users: their own; an activity's organiser all of that
    activity's. Withdrawn, never deleted (DELETE: 405)."""

    permission_rule = RULE
    action_problem_codes = {"create": (409,)}
    serializer_class = RegistrationSerializer
    filter_serializer_class = RegistrationFilterSerializer
    lookup_value_regex = "[0-9]+"

    @cached_property
    def person_id(self) -> int | None:
        return rules._person_id(self.request.user)

    def get_filters(self) -> dict:
        data = {k: v for k, v in self.request.query_params.items() if v != ""}
        serializer = RegistrationFilterSerializer(data=data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's probe
            return Registration.objects.none()
        filters = self.get_filters()
        activity = filters.get("activity")
        queryset = registration_queryset()
        if activity is not None and rules.may_manage(self.request.user, activity):
            queryset = queue_order(queryset.filter(activity=activity))
        else:
            queryset = queryset.filter(person_id=self.person_id).order_by(
                "activity__starts_at", "activity_id", "registered_at", "pk"
            )
            if activity is not None:
                queryset = queryset.filter(activity=activity)
        if filters.get("state"):
            queryset = queryset.filter(state=filters["state"])
        return queryset

    def get_object(self) -> Registration:
        pk = id_from_path(self.kwargs["pk"])
        registration = None
        if pk is not None:
            registration = registration_queryset().filter(pk=pk).first()
        if registration is None or not (
            (self.person_id is not None and registration.person_id == self.person_id)
            or rules.may_manage(self.request.user, registration.activity)
        ):
            raise NotFound(_("Er is geen aanmelding %(id)s.") % {"id": self.kwargs["pk"]})
        return registration

    def _data(self, pk: int) -> dict:
        return self.get_serializer(registration_queryset().get(pk=pk)).data

    @extend_schema(
        operation_id="listRegistrations",
        summary=gettext_lazy("Aanmeldingen: de uwe, of die voor een activiteit die u organiseert"),
        description=gettext_lazy(
            "Zonder filter uw eigen aanmeldingen, op begintijd van de activiteit. Met"
            " activiteit: organiseert u die (of bent u van het bureau), dan alle aanmeldingen"
            " ervoor in de volgorde van de rij (geplaatst, wachtlijst op volgorde, afgemeld),"
            " anders alleen de uwe. Alleen met een token."
        ),
        parameters=[RegistrationFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getRegistration",
        summary=gettext_lazy("Eén aanmelding"),
        description=gettext_lazy(
            "Een aanmelding op nummer: de uwe, of een voor een activiteit die u organiseert;"
            " een andere geeft 404."
        ),
        parameters=[REGISTRATION_ID],
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self.get_object().pk))

    @extend_schema(
        operation_id="register",
        summary=gettext_lazy("Aanmelden voor een activiteit"),
        description=gettext_lazy(
            "Meldt u aan (of, als organisator, iemand anders: personId). Zolang er plaatsen"
            " zijn krijgt u een plaats (geplaatst), anders de eerstvolgende plaats op de"
            " wachtlijst (waitingPosition). Uzelf aanmelden kan binnen de aanmeldperiode voor"
            " een activiteit die u mag zien; de organisator meldt iedereen aan tot het einde."
            " Al aangemeld, aanmelding gesloten, geannuleerd of het maximum van uw gemeente"
            " bereikt: 400 met de reden, en er wordt niets vastgelegd."
        ),
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer},
        parameters=[location_parameter(gettext_lazy("De URL van de aanmelding."))],
        examples=[REGISTER_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        serializer = RegistrationCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        activity = serializer.validated_data["activity"]
        person = serializer.validated_data.get("person")
        if person is None:
            if self.person_id is None:
                raise serializers.ValidationError(
                    {
                        "personId": [
                            _(
                                "Uw account hoort niet bij een persoon; geef aan wie u"
                                " aanmeldt (personId)."
                            )
                        ]
                    },
                    code="required",
                )
            person = Person.objects.get(pk=self.person_id)
        if person.pk != self.person_id and not rules.may_manage(request.user, activity):
            raise PermissionDenied(
                _("U kunt alleen uzelf aanmelden; anderen aanmelden doet de organisator.")
            )
        try:
            with transaction.atomic():
                registration = services.registration_create(
                    activity=activity,
                    person=person,
                    actor=request.user,
                    note=serializer.validated_data.get("note", ""),
                    origin=ORIGIN,
                )
        except DjangoValidationError as exc:
            raise service_error(exc, REGISTRATION_FIELDS) from exc
        except Activity.DoesNotExist as exc:  # not visible to the one registering
            raise serializers.ValidationError(
                {"activityId": [_("Er is geen activiteit %(id)s.") % {"id": activity.pk}]}
            ) from exc
        except IntegrityError as exc:  # registered a second time at the same moment
            raise Conflict(
                _("Deze persoon is intussen al aangemeld. Haal de aanmeldingen opnieuw op.")
            ) from exc
        return created(
            request, self._data(registration.pk), "api:registration-detail", registration.pk
        )

    @extend_schema(
        operation_id="withdrawRegistration",
        summary=gettext_lazy("Een aanmelding intrekken (afmelden)"),
        description=gettext_lazy(
            "Meldt af: de aanmelding blijft bestaan als afgemeld. Kwam er een plaats vrij, dan"
            " krijgt de eerste op de wachtlijst die (en bericht). Mag: de aangemelde zelf en de"
            " organisator. Al afgemeld of de activiteit is voorbij: 400."
        ),
        request=None,
        responses={200: RegistrationSerializer},
        parameters=[REGISTRATION_ID],
    )
    @action(detail=True, methods=["post"], url_path="intrekking", url_name="withdraw")
    def withdraw(self, request, *args, **kwargs):
        registration = self.get_object()
        try:
            services.registration_cancel(
                registration=registration, actor=request.user, origin=ORIGIN
            )
        except DjangoValidationError as exc:
            raise service_error(exc, REGISTRATION_FIELDS) from exc
        return Response(self._data(registration.pk))
