"""Creates one demo account per role for the embedded install and prints how to log in.

Each run gives every demo account a fresh random password and prints it: the passwords are
never stored anywhere but in the database's hash. Refused outside the embedded install.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from m50.accounts import services
from m50.accounts.models import MUNICIPAL_ROLES, Role, User
from m50.municipalities.models import Municipality

DEMO_USERS = [
    ("bureau", Role.BUREAU, "Bea", "Bureau"),
    ("publicaffairs", Role.PUBLIC_AFFAIRS, "Piet", "Lobby"),
    ("pijlervoorzitter", Role.PILLAR_CHAIR, "Pauline", "Pijler"),
    ("contactpersoon", Role.MEMBER_CONTACT, "Cor", "Contact"),
    ("deelnemer", Role.PARTICIPANT, "Dewi", "Deelnemer"),
]
DEMO_MUNICIPALITY = "GM0384"  # Diemen: the network's own worked example


class Command(BaseCommand):
    help = "Maakt per rol een demo-account aan (alleen in de ingebouwde installatie)."

    def handle(self, *args, **options):
        if not settings.M50_DEMO_ACCOUNTS:
            raise CommandError(
                "Demo-accounts zijn uitgeschakeld: deze installatie heeft een eigen "
                "M50_SECRET_KEY. Maak echte accounts aan met 'm50 createsuperuser' of via beheer."
            )
        municipality = (
            Municipality.objects.filter(code=DEMO_MUNICIPALITY).first()
            or Municipality.objects.filter(dissolved_on__isnull=True).order_by("name").first()
        )
        if municipality is None:
            raise CommandError("Laad eerst de referentiegegevens: m50 load-reference-data")
        rows = []
        with transaction.atomic():
            for username, role, first, last in DEMO_USERS:
                target = municipality if role in MUNICIPAL_ROLES else None
                password = services.demo_password()
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = services.user_create(
                        username=username,
                        email=f"{username}@m50.example",
                        role=role,
                        municipality=target,
                        first_name=first,
                        last_name=last,
                        password=password,
                        origin="create-demo-accounts",
                    )
                else:
                    services.user_role_change(
                        user=user, role=role, municipality=target, origin="create-demo-accounts"
                    )
                    services.user_password_set(
                        user=user, password=password, origin="create-demo-accounts"
                    )
                rows.append((username, password, user.get_role_display(), target))
        self.stdout.write("Demo-accounts (alleen voor de ingebouwde installatie):")
        for username, password, role, target in rows:
            suffix = f", {target}" if target else ""
            self.stdout.write(f"  {username:<18} {password:<22} {role}{suffix}")
