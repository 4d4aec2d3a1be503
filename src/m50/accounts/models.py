"""Users of the platform. Access follows the role (DESIGN.md §2), never the person."""

from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU = "bureau", _("bureau")
    PUBLIC_AFFAIRS = "public_affairs", _("public affairs")
    PILLAR_CHAIR = "pillar_chair", _("pijlervoorzitter")
    MEMBER_CONTACT = "member_contact", _("contactpersoon gemeente")
    PARTICIPANT = "participant", _("deelnemer")


# Roles that act on behalf of one municipality and therefore need one.
MUNICIPAL_ROLES = frozenset({Role.MEMBER_CONTACT, Role.PARTICIPANT})


class UserManager(BaseUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # The first account (`m50 createsuperuser`) is the bureau's: access follows the role.
        extra_fields.setdefault("role", Role.BUREAU)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices, default=Role.PARTICIPANT)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("gemeente"),
    )
    person = models.OneToOneField(
        "contacts.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("persoon"),
    )
    # Made by create-demo-accounts: such an account cannot log in on a production install.
    is_demo = models.BooleanField(_("demo-account"), default=False, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in MUNICIPAL_ROLES))
                | Q(municipality__isnull=False),
                name="municipal_role_needs_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class LoginAttempt(AccessAttempt):
    """Failed logins per username and address, as django-axes keeps them; shown in Dutch in
    the beheeromgeving, where deleting one lifts its lock."""

    class Meta:
        proxy = True
        verbose_name = _("mislukte inlogpoging")
        verbose_name_plural = _("mislukte inlogpogingen")


class LoginRecord(AccessLog):
    """Successful logins (and their logout), as django-axes keeps them."""

    class Meta:
        proxy = True
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
