"""Writes of the reports app: a municipality's contact asks to change its invoice details; the
bureau applies the request (through finance's own service, which validates the details and
audits the change) or rejects it with a reason. Each step is audited and mailed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from m50.accounts.models import Role, User
from m50.core.audit import audit_record, diff
from m50.finance import services as finance_services
from m50.reports.models import BillingChangeRequest

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


def _url(path: str) -> str:
    return settings.M50_SITE_URL.rstrip("/") + path


def _bureau_recipients() -> list[str]:
    addresses = set(
        User.objects.filter(role=Role.BUREAU, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    addresses.update(settings.M50_BUREAU_NOTIFY_EMAILS)
    return sorted(addresses)


def _municipality_recipients(change: BillingChangeRequest) -> list[str]:
    addresses = set(
        User.objects.filter(
            role=Role.MEMBER_CONTACT, municipality_id=change.municipality_id, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    asker = change.requested_by
    if asker is not None and asker.is_active and asker.email:
        addresses.add(asker.email)
    return sorted(addresses)


def change_lines(changes: dict) -> list[tuple[str, str, str]]:
    """(label, old, new) per changed field, for mails and pages."""
    return [
        (
            BILLING_LABELS.get(name, name),
            values.get("old") or "(leeg)",
            values.get("new") or "(leeg)",
        )
        for name, values in changes.items()
    ]


def _mail_after_commit(subject: str, template: str, context: dict, recipients: list[str]):
    def send():
        if not recipients:
            return
        try:
            with translation.override("nl"):
                body = render_to_string(template, context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # the write stands; the pages show it anyway
            logger.exception("Sending %s to %s failed", template, ", ".join(recipients))

    transaction.on_commit(send)


@transaction.atomic
def billing_change_request(
    *, municipality, actor, current: dict, proposed: dict, remarks: str = ""
) -> BillingChangeRequest:
    """Records that ``actor`` asks to change ``municipality``'s invoice details from
    ``current`` to ``proposed``, and tells the bureau; refused when nothing changes."""
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
    change = BillingChangeRequest.objects.create(
        municipality=municipality, changes=changes, remarks=remarks, requested_by=actor
    )
    audit_record(
        action="billing.change_request",
        obj=change,
        actor=actor,
        origin="webformulier",
        changes=changes,
    )
    with translation.override("nl"):
        subject = _("Wijziging factuurgegevens gevraagd door %(name)s") % {
            "name": municipality.name
        }
    _mail_after_commit(
        subject,
        "reports/email/billing_change_request.txt",
        {
            "municipality": municipality,
            "actor": actor,
            "changes": change_lines(changes),
            "remarks": remarks,
            "url": _url(reverse("reports:billing_change_handle", args=[change.pk])),
        },
        _bureau_recipients(),
    )
    return change


def _locked(change: BillingChangeRequest) -> BillingChangeRequest:
    change = (
        BillingChangeRequest.objects.select_for_update(of=("self",))
        .select_related("municipality", "requested_by")
        .get(pk=change.pk)
    )
    if change.state != BillingChangeRequest.State.PENDING:
        raise ValidationError(_("Deze wijziging is al behandeld."), code="already_handled")
    return change


def _handled_mail(change: BillingChangeRequest) -> None:
    with translation.override("nl"):
        if change.state == BillingChangeRequest.State.APPLIED:
            subject = _("Uw wijziging van de factuurgegevens is verwerkt")
        else:
            subject = _("Uw wijziging van de factuurgegevens is afgewezen")
    _mail_after_commit(
        subject,
        "reports/email/billing_change_handled.txt",
        {
            "change": change,
            "municipality": change.municipality,
            "changes": change_lines(change.changes),
            "url": _url(reverse("core:home") + "#factuurgegevens"),
        },
        _municipality_recipients(change),
    )


@transaction.atomic
def billing_change_apply(*, change: BillingChangeRequest, actor) -> BillingChangeRequest:
    """Applies the requested values to the invoice details (finance validates and audits
    them); a value the details refuse refuses the whole request, and nothing changes."""
    change = _locked(change)
    finance_services.billing_details_update(
        municipality=change.municipality,
        actor=actor,
        **{name: values.get("new") or "" for name, values in change.changes.items()},
    )
    change.state = BillingChangeRequest.State.APPLIED
    change.handled_by, change.handled_at = actor, timezone.now()
    change.save(update_fields=["state", "handled_by", "handled_at"])
    audit_record(
        action="billing.change_apply",
        obj=change,
        actor=actor,
        changes=diff({"state": "pending"}, {"state": change.state}),
    )
    _handled_mail(change)
    return change


@transaction.atomic
def billing_change_reject(
    *, change: BillingChangeRequest, reason: str, actor
) -> BillingChangeRequest:
    if not reason.strip():
        raise ValidationError(_("Geef een reden voor de afwijzing."), code="reason_required")
    change = _locked(change)
    change.state, change.rejection_reason = BillingChangeRequest.State.REJECTED, reason
    change.handled_by, change.handled_at = actor, timezone.now()
    change.save(update_fields=["state", "rejection_reason", "handled_by", "handled_at"])
    audit_record(
        action="billing.change_reject",
        obj=change,
        actor=actor,
        changes=diff(
            {"state": "pending", "rejection_reason": ""},
            {"state": change.state, "rejection_reason": reason},
        ),
    )
    _handled_mail(change)
    return change


# --- The council memo's house template ----------------------------------------------------


@transaction.atomic
def house_template_store(
    *, municipality, data: bytes, filename: str, actor=None, origin: str = ""
) -> list[str]:
    """Check and keep the municipality's house template (replacing one it had); returns the
    placeholders it uses. Refused with ``TemplateRefused`` before anything is written; the
    file is written beside its place and moved there, so it is whole or not there at all."""
    import os
    import tempfile

    from m50.core.audit import audit_record_of
    from m50.reports.memo.house_template import template_check, template_path

    used = template_check(data)
    path = template_path(municipality)
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists()
    audit_record_of(
        action="memo_template.store",
        object_type="municipalities.Municipality",
        object_id=str(municipality.pk),
        object_repr=str(municipality),
        actor=actor,
        origin=origin,
        changes={
            "huisstijlsjabloon": {"old": "aanwezig" if existed else None, "new": filename[:200]}
        },
    )
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return used


@transaction.atomic
def house_template_remove(*, municipality, actor=None, origin: str = "") -> bool:
    """Remove the municipality's house template; False when it had none."""
    from m50.core.audit import audit_record_of
    from m50.reports.memo.house_template import template_path

    path = template_path(municipality)
    if not path.exists():
        return False
    audit_record_of(
        action="memo_template.remove",
        object_type="municipalities.Municipality",
        object_id=str(municipality.pk),
        object_repr=str(municipality),
        actor=actor,
        origin=origin,
        changes={"huisstijlsjabloon": {"old": "aanwezig", "new": None}},
    )
    # Another removal may have been first: gone is gone.
    path.unlink(missing_ok=True)
    return True
