"""E-mails about proposals: the bureau hears of a new one, the municipality of its fate.

Sent after the transaction commits, so a refused or rolled-back write mails nobody, and a
mail server that is down does not undo the proposal or its handling (it is logged).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from m50.accounts.models import Role, User
from m50.membership.models import DecisionProposal, body_phrase

logger = logging.getLogger(__name__)


def _url(path: str) -> str:
    return settings.M50_SITE_URL.rstrip("/") + path


def bureau_recipients() -> list[str]:
    """The bureau's active accounts with an address, and the addresses of the setting."""
    addresses = set(
        User.objects.filter(role=Role.BUREAU, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    addresses.update(settings.M50_BUREAU_NOTIFY_EMAILS)
    return sorted(addresses)


def municipality_recipients(proposal: DecisionProposal) -> list[str]:
    """Who proposed it, and the municipality's active contacts (the proposer may have left)."""
    addresses = set(
        User.objects.filter(
            role=Role.MEMBER_CONTACT,
            municipality_id=proposal.membership.municipality_id,
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    proposer = proposal.proposed_by
    if proposer is not None and proposer.is_active and proposer.email:
        addresses.add(proposer.email)
    return sorted(addresses)


def _send(subject: str, template: str, context: dict, recipients: list[str]) -> None:
    if not recipients:
        return
    try:
        with translation.override("nl"):
            body = render_to_string(template, context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # the write stands; the bureau sees the proposal on its pages anyway
        logger.exception("Sending %s to %s failed", template, ", ".join(recipients))


def _context(proposal: DecisionProposal) -> dict:
    municipality = proposal.membership.municipality
    return {
        "proposal": proposal,
        "municipality": municipality,
        "body": body_phrase(proposal.deciding_body),
        "dossier_url": _url(
            reverse("municipalities:detail", kwargs={"code": municipality.code}) + "#voorstellen"
        ),
        "deadlines_url": _url(reverse("membership:deadlines") + "#voorstellen"),
    }


def proposal_submitted(proposal: DecisionProposal) -> None:
    """Tells the bureau of a new proposal, once the proposal is committed."""

    def send():
        with translation.override("nl"):
            subject = _("Nieuw voorstel van %(name)s: %(kind)s") % {
                "name": proposal.membership.municipality.name,
                "kind": proposal.get_kind_display(),
            }
        _send(
            subject,
            "membership/email/proposal_submitted.txt",
            _context(proposal),
            bureau_recipients(),
        )

    transaction.on_commit(send)


def proposal_handled(proposal: DecisionProposal) -> None:
    """Tells the municipality that its proposal was confirmed or rejected (with the reason)."""

    def send():
        with translation.override("nl"):
            if proposal.state == DecisionProposal.State.REJECTED:
                subject = _("Uw voorstel is afgewezen: %(kind)s") % {
                    "kind": proposal.get_kind_display()
                }
            else:
                subject = _("Uw voorstel is bevestigd: %(kind)s") % {
                    "kind": proposal.get_kind_display()
                }
        _send(
            subject,
            "membership/email/proposal_handled.txt",
            _context(proposal),
            municipality_recipients(proposal),
        )

    transaction.on_commit(send)
