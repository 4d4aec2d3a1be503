"""Creates one demo account per role for the embedded install and prints how to log in.

Each run gives every demo account a fresh random password and prints it: the passwords are
never stored anywhere but in the database's hash. Refused outside the embedded install.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from m50.accounts import services
from m50.accounts.models import Role
from m50.activities.demo import demo_activities_create
from m50.core.commands import AuditedCommand
from m50.knowledge.demo import demo_knowledge_create
from m50.municipalities import selectors as registry
from m50.pillars.demo import demo_participations_create

DEMO_MUNICIPALITY = "GM0384"  # Diemen: the network's own worked example


class Command(AuditedCommand):
    help = "Maakt per rol een demo-account aan (alleen in de ingebouwde installatie)."

    def handle(self, *args, **options):
        if not services.demo_accounts_allowed():
            raise CommandError(
                "Demo-accounts zijn uitgeschakeld: dit is een productie-installatie (eigen "
                "M50_SECRET_KEY, geen M50_DEBUG) of M50_DEMO_ACCOUNTS staat uit. Maak echte "
                "accounts aan met 'm50 createsuperuser' of via beheer."
            )
        municipality = registry.municipality_by_code_or_first(code=DEMO_MUNICIPALITY)
        if municipality is None:
            raise CommandError("Laad eerst de referentiegegevens: m50 load-reference-data")
        self.stdout.write("Demo-accounts (alleen voor de ingebouwde installatie):")
        try:
            accounts = services.demo_accounts_create(municipality=municipality)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for user, password in accounts:
            suffix = f", {user.municipality}" if user.municipality else ""
            self.stdout.write(
                f"  {user.username:<18} {password:<22} {user.get_role_display()}{suffix}"
            )
        # The pillar chair's rights are per pillar: the demo chair chairs Sociaal.
        by_role = {user.role: user for user, _password in accounts}
        for line in demo_participations_create(
            chair=by_role[Role.PILLAR_CHAIR],
            participant=by_role[Role.PARTICIPANT],
            municipality=municipality,
        ):
            self.stdout.write(f"  {line}")
        # A few activities to try the agenda with; the demo participant registered for them.
        for line in demo_activities_create(
            participant=by_role[Role.PARTICIPANT],
            chair=by_role[Role.PILLAR_CHAIR],
            municipality=municipality,
        ):
            self.stdout.write(f"  {line}")
        # A few items for the library and the search.
        for line in demo_knowledge_create(municipality=municipality):
            self.stdout.write(f"  {line}")
