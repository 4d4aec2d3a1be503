"""Demo participations for the embedded install: the demo pillar chair chairs Sociaal and
the demo participant takes part in it, both through a position at the demo municipality, so
that the per-object rights can be tried out. Through the same services as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.accounts.services import user_person_set
from m50.contacts.models import Position
from m50.contacts.services import person_create, position_create
from m50.pillars.models import Category, Participation, Pillar, Role
from m50.pillars.services import participation_register

DEMO_PILLAR = "sociaal"


def _position(user, organisation, function: str, today) -> Position:
    person = user.person
    if person is None:
        person = person_create(
            surname=user.last_name or user.username,
            given_name=user.first_name,
            email=user.email,
            origin="demo",
        )
        user_person_set(user=user, person=person, origin="demo")
    position = Position.objects.filter(
        person=person, organisation=organisation, function=function, end_date__isnull=True
    ).first()
    return position or position_create(
        person=person,
        organisation=organisation,
        function=function,
        start_date=today,
        origin="demo",
    )


def demo_participations_create(*, chair, participant, municipality) -> list[str]:
    """Lines saying what was set up, or why not (a refusal by the rules is reported, never
    raised: the demo accounts are made either way)."""
    today = timezone.localdate()
    pillar = Pillar.objects.filter(slug=DEMO_PILLAR).first()
    organisation = getattr(municipality, "organisation", None)
    if pillar is None or organisation is None:
        return [
            _("Geen demo-deelname: pijler Sociaal of de organisatie van de gemeente ontbreekt.")
        ]
    lines = []
    for user, function, role, category in (
        (chair, Position.Function.ALDERMAN, Role.CHAIR, Category.ADMINISTRATOR),
        (participant, Position.Function.POLICY_ADVISOR, Role.MEMBER, Category.ADVISOR),
    ):
        if (
            user.person_id
            and Participation.objects.running(today)
            .filter(position__person_id=user.person_id, pillar=pillar)
            .exists()
        ):
            continue
        try:
            position = _position(user, organisation, function, today)
            participation_register(
                position=position,
                pillar=pillar,
                role=role,
                category=category,
                start_date=today,
                origin="demo",
            )
        except ValidationError as error:
            lines.append(
                _("Geen demo-deelname voor %(user)s: %(reason)s")
                % {"user": user.username, "reason": " ".join(error.messages)}
            )
        else:
            lines.append(
                _("%(user)s neemt deel aan %(pillar)s als %(role)s.")
                % {"user": user.username, "pillar": pillar.name, "role": Role(role).label}
            )
    return lines
