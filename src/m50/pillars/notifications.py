"""E-mails about participations: a municipality's contacts hear that an official's
participations ended with their position, so the seat can be filled.

Sent after the transaction commits, so a refused or rolled-back write mails nobody, and a mail
server that is down does not undo the write (it is logged).
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

logger = logging.getLogger(__name__)


def _url(path: str) -> str:
    return settings.M50_SITE_URL.rstrip("/") + path


def contact_recipients(municipality_id: int) -> list[str]:
    """The municipality's active member contacts with an address."""
    return sorted(
        set(
            User.objects.filter(
                role=Role.MEMBER_CONTACT, municipality_id=municipality_id, is_active=True
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def participations_ended(*, position, participations) -> None:
    """Tells the contacts of the position's municipality which participations ended with it."""
    municipality = position.organisation.municipality
    if municipality is None:
        return
    context = {
        "municipality": municipality,
        "person": position.person,
        "position": position,
        "participations": list(participations),
        "municipality_url": _url(
            reverse("municipalities:detail", kwargs={"code": municipality.code})
        ),
    }

    def send():
        recipients = contact_recipients(municipality.pk)
        if not recipients:
            return
        try:
            with translation.override("nl"):
                subject = _("Deelname aan pijlers beëindigd: %(person)s") % {
                    "person": position.person.full_name
                }
                body = render_to_string("pillars/email/participations_ended.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # the end stands; the contact sees it on the municipality's page
            logger.exception("Sending participations_ended to %s failed", ", ".join(recipients))

    transaction.on_commit(send)
