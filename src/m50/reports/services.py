"""Writes of the reports app: a municipality's contact asks the bureau to change its invoice
details. The request is audited and mailed to the bureau, which applies it on its own billing
page (finance), where the details are validated and the change itself is audited."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from m50.accounts.models import Role, User
from m50.core.audit import audit_record, diff

logger = logging.getLogger(__name__)

BILLING_LABELS = {
    "name": "naam debiteur",
    "address_line": "adres",
    "postal_code": "postcode",
    "city": "plaats",
    "oin": "OIN",
    "kvk": "KvK-nummer",
    "email": "e-mailadres facturen",
    "contact_name": "contactpersoon",
    "purchase_order": "inkoopordernummer of referentie",
}


def _bureau_recipients() -> list[str]:
    addresses = set(
        User.objects.filter(role=Role.BUREAU, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    addresses.update(settings.M50_BUREAU_NOTIFY_EMAILS)
    return sorted(addresses)


@transaction.atomic
def billing_change_request(
    *, municipality, actor, current: dict, proposed: dict, remarks: str = ""
) -> dict:
    """Records that ``actor`` asks to change ``municipality``'s invoice details from
    ``current`` to ``proposed`` and tells the bureau; the changed fields, or a refusal when
    nothing changes."""
    unknown = set(proposed) - set(BILLING_LABELS)
    if unknown:
        raise ValidationError(_("Onbekende velden: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    changes = diff(
        {name: current.get(name) or "" for name in proposed},
        {name: value or "" for name, value in proposed.items()},
    )
    if not changes:
        raise ValidationError(
            _("Er is niets gewijzigd: pas de gegevens aan die anders moeten."),
            code="nothing_changed",
        )
    audit_record(
        action="billing.change_request",
        obj=municipality,
        actor=actor,
        origin="webformulier",
        changes=changes,
    )
    url = settings.M50_SITE_URL.rstrip("/") + reverse(
        "finance:billing_details", kwargs={"code": municipality.code}
    )
    context = {
        "municipality": municipality,
        "actor": actor,
        "changes": [
            (BILLING_LABELS[name], values["old"] or "(leeg)", values["new"] or "(leeg)")
            for name, values in changes.items()
        ],
        "remarks": remarks,
        "url": url,
    }
    recipients = _bureau_recipients()

    def send():
        if not recipients:
            return
        try:
            with translation.override("nl"):
                subject = _("Wijziging factuurgegevens gevraagd door %(name)s") % {
                    "name": municipality.name
                }
                body = render_to_string("reports/email/billing_change_request.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # the request is recorded; the bureau also sees it in the audit trail
            logger.exception("Sending the billing change request of %s failed", municipality)

    transaction.on_commit(send)
    return changes
