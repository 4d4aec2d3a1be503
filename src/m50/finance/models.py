"""Contributions and invoices. What a membership owes is derived from its decisions (see
``rules.owed_years``); what was invoiced and paid is recorded here, never edited once sent."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

DEFAULT_CATEGORY = "standaard"
# Above every number (year × 1,000,000 + sequence): where drafts stand in the lists.
DRAFT_LIST_ORDER = 99_999_999_999


class Fee(models.Model):
    """The annual contribution from ``valid_from_year`` on, until a later row takes over."""

    valid_from_year = models.PositiveSmallIntegerField(_("geldig vanaf jaar"))
    category = models.CharField(_("categorie"), max_length=50, default=DEFAULT_CATEGORY)
    amount = models.DecimalField(_("bedrag"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["category", "valid_from_year"]
        constraints = [
            models.UniqueConstraint(fields=["category", "valid_from_year"], name="fee_unique_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_not_negative"),
        ]
        verbose_name = _("contributie")
        verbose_name_plural = _("contributies")

    def __str__(self) -> str:
        return f"{self.category} {self.valid_from_year}: EUR {self.amount}"


class BillingDetails(models.Model):
    """How a municipality wants to be invoiced; copied onto each invoice at its date."""

    municipality = models.OneToOneField(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="billing",
        verbose_name=_("gemeente"),
    )
    name = models.CharField(_("naam debiteur"), max_length=200)
    address_line = models.CharField(_("adres"), max_length=200, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    oin = models.CharField(_("OIN"), max_length=20, blank=True)
    kvk = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    email = models.EmailField(_("e-mailadres facturen"), blank=True)
    contact_name = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    purchase_order = models.CharField(
        _("inkoopordernummer of referentie"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("factuurgegevens")
        verbose_name_plural = _("factuurgegevens")

    def __str__(self) -> str:
        return self.name


class InvoiceSequence(models.Model):
    """The last invoice number used in a year; locked while numbering, so numbers have no gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Invoice(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("factuur")
        CREDIT_NOTE = "credit_note", _("creditnota")

    class State(models.TextChoices):
        DRAFT = "draft", _("concept")
        SENT = "sent", _("verzonden")

    # 2024-0001: the year of the invoice date and a sequence without gaps in that year; a fifth
    # digit only past 9,999 invoices in a year. A draft has no number yet: it gets one when it
    # is made final and sent, so a draft that is withdrawn leaves no gap.
    number = models.CharField(_("factuurnummer"), max_length=12, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("nummerjaar"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("volgnummer"), null=True, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.INVOICE)
    membership = models.ForeignKey(
        "membership.Membership", on_delete=models.PROTECT, related_name="invoices"
    )
    # The place in the lists by number, with the drafts (no number yet) after the highest: one
    # value the database computes and indexes, so a page of a filtered list is read in index
    # order (NULLS FIRST/LAST on year and sequence cannot use an index on SQLite).
    list_order = models.GeneratedField(
        expression=Coalesce(
            Cast("year", models.BigIntegerField()) * 1_000_000 + F("sequence"),
            Value(DRAFT_LIST_ORDER),
        ),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )
    fee_year = models.PositiveSmallIntegerField(_("contributiejaar"))
    credits = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_note",
        verbose_name=_("crediteert factuur"),
    )
    issue_date = models.DateField(_("factuurdatum"))
    due_date = models.DateField(_("vervaldatum"))
    amount = models.DecimalField(_("bedrag excl. btw"), max_digits=10, decimal_places=2)
    vat_category = models.CharField(_("btw-categorie"), max_length=2)
    vat_rate = models.DecimalField(_("btw-percentage"), max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(_("btw-bedrag"), max_digits=10, decimal_places=2)
    total = models.DecimalField(_("totaal"), max_digits=10, decimal_places=2)
    # The sum of its payments: a projection, rewritten by every service that books or undoes a
    # payment, under this row's lock, so that status filters and sorts run in the database.
    # ``m50 check-derived`` recomputes it from the payments (see ``selectors.paid_differences``).
    paid_amount = models.DecimalField(
        _("betaald"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    description = models.CharField(_("omschrijving"), max_length=300)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Set, with the credit note, in the same transaction: frees the year for a new invoice.
    credited = models.BooleanField(_("gecrediteerd"), default=False)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    sent_to = models.CharField(_("verzonden aan"), max_length=300, blank=True)
    # The debtor as it was on the invoice date.
    debtor_name = models.CharField(_("naam debiteur"), max_length=200)
    debtor_address_line = models.CharField(_("adres"), max_length=200, blank=True)
    debtor_postal_code = models.CharField(_("postcode"), max_length=10, blank=True)
    debtor_city = models.CharField(_("plaats"), max_length=100, blank=True)
    debtor_oin = models.CharField(_("OIN"), max_length=20, blank=True)
    debtor_kvk = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    debtor_contact = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    debtor_email = models.EmailField(_("e-mailadres"), blank=True)
    purchase_order = models.CharField(
        _("inkoopordernummer of referentie"), max_length=100, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["year", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="invoice_number_unique"),
            # Numbered, or an unsent draft invoice without any part of a number.
            models.CheckConstraint(
                condition=Q(number__isnull=False, year__isnull=False, sequence__isnull=False)
                | Q(
                    number__isnull=True,
                    year__isnull=True,
                    sequence__isnull=True,
                    kind="invoice",
                    state="draft",
                ),
                name="invoice_numbered_unless_draft",
            ),
            # One invoice per membership and contribution year: a second run creates nothing.
            models.UniqueConstraint(
                fields=["membership", "fee_year"],
                condition=Q(kind="invoice", credited=False),
                name="invoice_once_per_year",
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", credits__isnull=True)
                | Q(kind="credit_note", credits__isnull=False),
                name="credit_note_credits_an_invoice",
            ),
        ]
        indexes = [
            models.Index(fields=["fee_year", "kind"]),
            models.Index(fields=["list_order", "id"], name="invoice_list_order"),
            # The payment reminders' order: oldest due date first.
            models.Index(fields=["due_date", "year", "sequence", "id"], name="invoice_due_order"),
        ]
        verbose_name = _("factuur")
        verbose_name_plural = _("facturen")

    def __str__(self) -> str:
        return self.number or f"concept {self.pk}"

    @property
    def key(self) -> str:
        """How the pages address it: its number, or ``concept-<id>`` while it is a draft."""
        return self.number or f"{DRAFT_KEY_PREFIX}{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.number is None

    @property
    def label(self) -> str:
        """Its number, or "concept" while it has none (for pages, not for documents)."""
        return self.number or str(_("concept"))


DRAFT_KEY_PREFIX = "concept-"


class Payment(models.Model):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    paid_on = models.DateField(_("betaald op"))
    amount = models.DecimalField(_("bedrag"), max_digits=10, decimal_places=2)
    reference = models.CharField(_("kenmerk"), max_length=300, blank=True)
    # A bank statement line, when the payment came from an imported statement.
    statement_line = models.OneToOneField(
        "finance.StatementLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the payer was not the debtor (an account and a name not seen for that
    # municipality): booked, but for the bureau to check; cleared by ``reviewed_at``.
    review_reason = models.CharField(_("te controleren"), max_length=300, blank=True, default="")
    reviewed_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]
        # The orders of the payments list and of the payments to check: a page is read in
        # index order, not sorted from every payment.
        indexes = [
            models.Index(fields=["paid_on", "id"], name="payment_list_order"),
            models.Index(fields=["reviewed_at", "paid_on", "id"], name="payment_review_order"),
        ]
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")

    def __str__(self) -> str:
        return f"{self.paid_on} EUR {self.amount}"


class BankStatement(models.Model):
    """An imported CAMT.053 statement. The same statement is the same account, statement id,
    electronic sequence number and period (``identity``), whatever the message id: a bank
    delivering it again changes nothing."""

    message_id = models.CharField(_("berichtkenmerk"), max_length=100)
    statement_id = models.CharField(_("afschriftkenmerk"), max_length=100)
    account_iban = models.CharField(_("IBAN"), max_length=34)
    created_on = models.DateTimeField(_("aangemaakt door de bank op"), null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=300, blank=True)
    electronic_sequence = models.CharField(
        _("elektronisch volgnummer"), max_length=20, blank=True, default=""
    )
    period_from = models.DateTimeField(_("periode vanaf"), null=True, blank=True)
    period_to = models.DateTimeField(_("periode tot en met"), null=True, blank=True)
    # account|statement id|sequence|from|to; empty on statements imported before it existed.
    identity = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account_iban", "message_id", "statement_id"], name="statement_once"
            ),
            models.UniqueConstraint(
                fields=["identity"], condition=~Q(identity=""), name="statement_identity_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_iban} {self.statement_id}"


class StatementLine(models.Model):
    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    entry_reference = models.CharField(max_length=100, blank=True)
    booking_date = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    credit = models.BooleanField(default=True)
    counterparty_name = models.CharField(max_length=200, blank=True)
    counterparty_iban = models.CharField(max_length=34, blank=True)
    remittance = models.TextField(blank=True)
    # The entry status: only BOOK is money on the account; PDNG (pending), INFO and FUTR are
    # listed for the bureau and never booked.
    status = models.CharField(_("status"), max_length=35, default="BOOK")
    value_date = models.DateField(_("valutadatum"), null=True, blank=True)
    reversal = models.BooleanField(_("terugboeking"), default=False)  # RvslInd
    # The line this reversal undid (its payment is gone; both leave the unmatched list).
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    ntry_reference = models.CharField(max_length=100, blank=True, default="")  # NtryRef
    transaction_reference = models.CharField(max_length=100, blank=True, default="")
    end_to_end_id = models.CharField(max_length=100, blank=True, default="")
    additional_info = models.TextField(blank=True, default="")  # AddtlNtryInf
    # Suspected to repeat an entry imported before: stored and shown, never booked.
    duplicate = models.BooleanField(_("mogelijk dubbel"), default=False)
    note = models.CharField(_("toelichting"), max_length=300, blank=True, default="")
    # "Geen factuurbetaling": the bureau's reason for leaving the line without a payment.
    dismissed_reason = models.CharField(
        _("geen factuurbetaling, reden"), max_length=300, blank=True, default=""
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["booking_date", "pk"]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.amount} {self.remittance[:40]}"

    @property
    def status_label(self) -> str:
        """The entry status in Dutch: only a booked line is money on the account."""
        labels = {
            "BOOK": _("geboekt"),
            "PDNG": _("in afwachting"),
            "INFO": _("ter informatie"),
            "FUTR": _("toekomstig"),
        }
        return str(labels.get(self.status, self.status))


ZERO = Decimal("0.00")


class PaymentReminder(models.Model):
    """A payment reminder sent for an overdue invoice; one per invoice and round, so sending
    the reminders again (cron, a missed day) sends each one once."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("factuur")
    )
    round = models.PositiveSmallIntegerField(_("ronde"))
    sent_on = models.DateField(_("verzonden op"))
    sent_to = models.CharField(_("verzonden aan"), max_length=300, blank=True)

    class Meta:
        ordering = ["invoice", "round"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "round"], name="payment_reminder_once")
        ]
        verbose_name = _("betalingsherinnering")
        verbose_name_plural = _("betalingsherinneringen")

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.round}"
