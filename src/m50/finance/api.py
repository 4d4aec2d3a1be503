"""/api/v1/facturen: the contribution invoices and credit notes, read-only.

The bureau reads every invoice (``finance.manage``); a member contact reads those of its own
municipality (``finance.view_own``), and another municipality's invoice does not exist for it
(404, not 403: an invoice number says nothing to whom it does not concern). Every other role
gets 403, an anonymous request 401.

Amounts are exact decimals, given as strings with two decimals ("5000.00"), never as floats.
The status is derived as on the finance pages (``selectors.invoice_status``), on one date for
the whole response.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from m50.accounts.permissions import has_rule
from m50.api.fields import BlankAsNullCharField, MappedChoiceField
from m50.api.viewsets import ReadOnlyApiViewSet
from m50.finance import selectors
from m50.finance.models import Invoice
from m50.membership.api import MunicipalityCodeField
from m50.municipalities import selectors as registry

# The rules of the two kinds of reader (see m50.accounts.permissions).
READ_ALL = "finance.manage"
READ_OWN = "finance.view_own"

# YYYY-NNNN; a fifth digit only past 9,999 invoices in a year (see Invoice.number).
INVOICE_NUMBER = "20[0-9]{2}-[0-9]{4,5}"
# Contribution years the API accepts in a filter; outside them a year is a typing error.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2099

# Public (Dutch) values of the API, mapped to the values of the models and selectors.
KIND_VALUES = {"factuur": Invoice.Kind.INVOICE, "creditnota": Invoice.Kind.CREDIT_NOTE}
STATUS_VALUES = {
    "concept": selectors.Status.DRAFT,
    "verzonden": selectors.Status.SENT,
    "deels-betaald": selectors.Status.PARTLY_PAID,
    "betaald": selectors.Status.PAID,
    "te-laat": selectors.Status.OVERDUE,
    "gecrediteerd": selectors.Status.CREDITED,
    "creditnota": selectors.Status.CREDIT_NOTE,
}


def invoices_visible_to(user) -> QuerySet[Invoice]:
    """The invoices ``user`` may read, by number: all for the bureau, a member contact's own
    municipality's, none for anyone else. Each with ``paid`` and its credit note, if any."""
    invoices = (
        selectors.invoice_queryset()
        .select_related("credit_note")
        # Drafts (no number yet) last, on every database.
        .order_by("list_order", "pk")
    )
    if has_rule(user, READ_ALL):
        return invoices
    municipality_id = getattr(user, "municipality_id", None)
    if has_rule(user, READ_OWN) and municipality_id is not None:
        # A draft is the bureau's until it is sent.
        return invoices.filter(membership__municipality_id=municipality_id, number__isnull=False)
    return invoices.none()


# --- Fields ---------------------------------------------------------------------------------


def _money(help_text, **kwargs):
    """An amount in euros as a string with two decimals: exact, never a float."""
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=True, help_text=help_text, **kwargs
    )


class OpenAmountField(serializers.DecimalField):
    """What is still to be paid: nothing on a credit note or a credited invoice."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=2, coerce_to_string=True, **kwargs)

    def get_attribute(self, instance):
        return selectors.open_amount(instance)


class InvoiceStatusField(MappedChoiceField):
    """The status of an invoice on the response's date (the serializer context's ``today``)."""

    def __init__(self, **kwargs):
        super().__init__(STATUS_VALUES, enum_name="InvoiceStatus", **kwargs)

    def get_attribute(self, instance):
        return selectors.invoice_status(instance, self.context.get("today"))


# --- Serializers ----------------------------------------------------------------------------


class InvoiceFilterSerializer(serializers.Serializer):
    """The query parameters of the list; sources are the view's filter names."""

    jaar = serializers.IntegerField(
        source="year",
        required=False,
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        help_text=gettext_lazy(
            "Alleen de facturen en creditnota's voor de contributie van dit jaar (niet het jaar"
            " van het factuurnummer)."
        ),
    )
    status = MappedChoiceField(
        STATUS_VALUES,
        required=False,
        help_text=gettext_lazy("Alleen facturen met deze status vandaag."),
    )
    gemeente = MunicipalityCodeField(
        source="municipality_code",
        required=False,
        help_text=gettext_lazy("Alleen de facturen van de gemeente met deze CBS-code."),
    )

    def validate_gemeente(self, code: str) -> str:
        if not registry.municipality_queryset().filter(code=code).exists():
            raise serializers.ValidationError(
                _("Onbekende gemeente %(code)s.") % {"code": code}, code="unknown"
            )
        return code


class DebtorSerializer(serializers.Serializer):
    """De debiteur zoals die op de factuurdatum was vastgelegd."""

    name = serializers.CharField(
        source="debtor_name", help_text=gettext_lazy("Naam van de debiteur.")
    )
    addressLine = BlankAsNullCharField(
        source="debtor_address_line", help_text=gettext_lazy("Adres (straat en nummer).")
    )
    postalCode = BlankAsNullCharField(
        source="debtor_postal_code", help_text=gettext_lazy("Postcode.")
    )
    city = BlankAsNullCharField(source="debtor_city", help_text=gettext_lazy("Plaats."))
    oin = BlankAsNullCharField(
        source="debtor_oin", help_text=gettext_lazy("Organisatie-identificatienummer (OIN).")
    )
    kvk = BlankAsNullCharField(source="debtor_kvk", help_text=gettext_lazy("KvK-nummer."))
    contact = BlankAsNullCharField(
        source="debtor_contact", help_text=gettext_lazy("Contactpersoon voor de factuur.")
    )
    email = BlankAsNullCharField(
        source="debtor_email", help_text=gettext_lazy("E-mailadres voor facturen.")
    )


class InvoiceSerializer(serializers.Serializer):
    """Een factuur of creditnota voor de contributie, met wat betaald is en wat open staat."""

    number = serializers.CharField(
        allow_null=True,
        help_text=gettext_lazy(
            "Het factuurnummer, JJJJ-NNNN: het jaar van de factuurdatum. Leeg bij een concept:"
            " dat krijgt zijn nummer wanneer het wordt verstuurd (alleen het bureau ziet"
            " concepten)."
        ),
    )
    kind = MappedChoiceField(
        KIND_VALUES,
        enum_name="InvoiceKind",
        help_text=gettext_lazy("Een factuur of een creditnota (die een factuur crediteert)."),
    )
    municipalityCode = serializers.CharField(
        source="membership.municipality.code",
        help_text=gettext_lazy("CBS-code van de gemeente, zoals GM0384."),
    )
    contributionYear = serializers.IntegerField(
        source="fee_year", help_text=gettext_lazy("Het jaar waarvoor de contributie geldt.")
    )
    issueDate = serializers.DateField(source="issue_date", help_text=gettext_lazy("Factuurdatum."))
    dueDate = serializers.DateField(
        source="due_date", help_text=gettext_lazy("Uiterste betaaldatum (tot en met).")
    )
    amount = _money(gettext_lazy("Bedrag zonder btw, in euro; negatief op een creditnota."))
    vatCategory = serializers.CharField(
        source="vat_category",
        help_text=gettext_lazy(
            "Btw-categorie volgens EN 16931, zoals O (niet onderworpen aan btw)."
        ),
    )
    vatAmount = _money(gettext_lazy("Btw-bedrag in euro."), source="vat_amount")
    total = _money(gettext_lazy("Totaal met btw, in euro; negatief op een creditnota."))
    paid = _money(gettext_lazy("Wat er op de factuur is betaald, in euro."))
    open = OpenAmountField(
        help_text=gettext_lazy(
            "Wat er nog betaald moet worden, in euro; 0.00 op een creditnota of gecrediteerde"
            " factuur."
        )
    )
    status = InvoiceStatusField(
        help_text=gettext_lazy(
            "Status vandaag: concept, verzonden, deels-betaald, betaald, te-laat, gecrediteerd"
            " of creditnota."
        )
    )
    credits = serializers.CharField(
        source="credits.number",
        allow_null=True,
        help_text=gettext_lazy("Bij een creditnota: het nummer van de gecrediteerde factuur."),
    )
    creditedBy = serializers.CharField(
        source="credit_note.number",
        allow_null=True,
        help_text=gettext_lazy("Bij een gecrediteerde factuur: het nummer van de creditnota."),
    )
    debtor = DebtorSerializer(source="*")
    purchaseOrder = BlankAsNullCharField(
        source="purchase_order",
        help_text=gettext_lazy("Inkoopordernummer of referentie die de gemeente vraagt."),
    )
    sentAt = serializers.DateTimeField(
        source="sent_at",
        allow_null=True,
        help_text=gettext_lazy("Wanneer de factuur is verzonden; leeg: nog niet."),
    )


INVOICE_NUMBER_PARAMETER = OpenApiParameter(
    "number",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=f"^{INVOICE_NUMBER}$",
    description=gettext_lazy("Het factuurnummer, bijvoorbeeld 2024-0001."),
    examples=[OpenApiExample("factuur", value="2024-0001")],
)


@extend_schema(tags=["facturen"])
class InvoiceViewSet(ReadOnlyApiViewSet):
    """Invoices and credit notes: every one for the bureau, a member contact its own."""

    # The rule of a member contact; the bureau's is READ_ALL (see get_permission_rule).
    permission_rule = READ_OWN
    serializer_class = InvoiceSerializer
    filter_serializer_class = InvoiceFilterSerializer
    lookup_field = "number"
    figures = staticmethod(selectors.figures)
    # Only an invoice number reaches the database.
    lookup_value_regex = INVOICE_NUMBER

    def get_permission_rule(self) -> str:
        user = getattr(getattr(self, "request", None), "user", None)
        return READ_ALL if has_rule(user, READ_ALL) else READ_OWN

    @cached_property
    def today(self) -> datetime.date:
        """The date of every status in one response (and of the status filter)."""
        return timezone.localdate()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": self.today}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's probe
            return Invoice.objects.none()
        filters = self.get_filters()
        invoices = invoices_visible_to(self.request.user)
        if "year" in filters:
            invoices = invoices.filter(fee_year=filters["year"])
        if "municipality_code" in filters:
            invoices = invoices.filter(membership__municipality__code=filters["municipality_code"])
        status = filters.get("status")
        if status is None:
            return invoices
        # On the stored paid amount, in the database, before the page is read.
        return invoices.filter(selectors.invoice_status_q(status, self.today))

    def get_object(self):
        number = self.kwargs["number"]
        invoice = invoices_visible_to(self.request.user).filter(number=number).first()
        if invoice is None:
            # Also for another municipality's invoice: its number is not revealed.
            raise NotFound(_("Er is geen factuur %(number)s.") % {"number": number})
        return invoice

    @extend_schema(
        operation_id="listInvoices",
        summary=gettext_lazy("Facturen en creditnota's van de contributie"),
        description=gettext_lazy(
            "Facturen en creditnota's op nummer, met de debiteur zoals op de factuurdatum, wat"
            " betaald is, wat open staat en de status van vandaag. Bedragen zijn tekst met twee"
            " decimalen. Het bureau ziet alle facturen; de contactpersoon van een lid die van"
            " de eigen gemeente. Andere rollen: 403."
        ),
        parameters=[InvoiceFilterSerializer],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        operation_id="getInvoice",
        summary=gettext_lazy("Eén factuur of creditnota"),
        description=gettext_lazy(
            "Een factuur of creditnota op nummer. Het bureau ziet elke factuur; de"
            " contactpersoon van een lid die van de eigen gemeente: een factuur van een andere"
            " gemeente geeft 404. Andere rollen: 403."
        ),
        parameters=[INVOICE_NUMBER_PARAMETER],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
