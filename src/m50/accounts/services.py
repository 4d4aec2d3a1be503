"""Writes on users: every change to who may do what goes through here and is audited."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from m50.accounts.models import MUNICIPAL_ROLES, Role, User
from m50.accounts.permissions import has_rule_for_role
from m50.core.audit import audit_record, diff


def _sync_admin_access(user: User) -> None:
    # Access follows the role: only the bureau manages users in the beheeromgeving.
    user.is_staff = user.is_superuser = has_rule_for_role(user.role, "accounts.manage")


def _check_role(role: str, municipality) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Onbekende rol: %(role)s.") % {"role": role}})
    if role in MUNICIPAL_ROLES and municipality is None:
        raise ValidationError(
            {"municipality": _("Een contactpersoon of deelnemer hoort bij een gemeente.")}
        )


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str = "",
    role: str,
    municipality=None,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    is_demo: bool = False,
    actor=None,
    origin: str = "",
) -> User:
    _check_role(role, municipality)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Deze gebruikersnaam bestaat al.")})
    user = User(
        username=username,
        email=email,
        role=role,
        municipality=municipality,
        first_name=first_name,
        last_name=last_name,
        is_demo=is_demo,
    )
    _sync_admin_access(user)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        action="user.create",
        obj=user,
        actor=actor,
        origin=origin,
        changes=diff(
            {},
            {"role": role, "municipality": municipality, "email": email}
            | ({"is_demo": True} if is_demo else {}),
        ),
    )
    return user


@transaction.atomic
def user_role_change(*, user: User, role: str, municipality=None, actor=None, origin: str = ""):
    _check_role(role, municipality)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {"role": user.role, "municipality": user.municipality}
    user.role, user.municipality = role, municipality if role in MUNICIPAL_ROLES else None
    _sync_admin_access(user)
    user.save(update_fields=["role", "municipality", "is_staff", "is_superuser"])
    changes = diff(before, {"role": user.role, "municipality": user.municipality})
    if changes:
        audit_record(
            action="user.role_change", obj=user, actor=actor, origin=origin, changes=changes
        )
    return user


@transaction.atomic
def user_person_set(*, user: User, person, actor=None, origin: str = "") -> User:
    """Links the account to the person it belongs to: the person's participations (a pillar
    chaired) then give the account its rights on those objects."""
    before = {"person": user.person}
    user.person = person
    user.save(update_fields=["person"])
    audit_record(
        action="user.person_set",
        obj=user,
        actor=actor,
        origin=origin,
        changes=diff(before, {"person": person}),
    )
    return user


@transaction.atomic
def user_password_set(*, user: User, password: str, actor=None, origin: str = "") -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        action="user.password_set",
        obj=user,
        actor=actor,
        origin=origin,
        changes=diff({"password": "old"}, {"password": "new"}),
    )


def password_reset_requests_since(*, user: User, since) -> int:
    """How many reset mails the account was sent since ``since`` (from the audit trail, so
    the count holds across web processes)."""
    from m50.core.models import AuditEvent

    return AuditEvent.objects.filter(
        action="user.password_reset_request",
        object_type=User._meta.label,
        object_id=str(user.pk),
        timestamp__gte=since,
    ).count()


@transaction.atomic
def user_password_reset_request(*, user: User, origin: str = "") -> None:
    """Record that a reset link was mailed to the account (the link itself is never kept)."""
    audit_record(action="user.password_reset_request", obj=user, origin=origin)


@transaction.atomic
def login_attempts_delete(*, attempts, actor=None, origin: str = "") -> int:
    """Forget failed logins, which lifts the lock they hold; each one is audited."""
    count = 0
    for attempt in attempts:
        audit_record(
            action="login_lock.lift",
            obj=attempt,
            actor=actor,
            origin=origin,
            changes=diff(
                {"failures": attempt.failures_since_start, "ip_address": attempt.ip_address},
                {"failures": 0, "ip_address": attempt.ip_address},
            ),
        )
        attempt.delete()
        count += 1
    return count


def demo_password() -> str:
    # Readable enough to type from the terminal, long enough for the validators.
    return "-".join(secrets.token_hex(3) for _ in range(3))


DEMO_USERS = [
    ("bureau", Role.BUREAU, "Bea", "Bureau"),
    ("publicaffairs", Role.PUBLIC_AFFAIRS, "Piet", "Lobby"),
    ("pijlervoorzitter", Role.PILLAR_CHAIR, "Pauline", "Pijler"),
    ("contactpersoon", Role.MEMBER_CONTACT, "Cor", "Contact"),
    ("deelnemer", Role.PARTICIPANT, "Dewi", "Deelnemer"),
]


def demo_accounts_allowed() -> bool:
    """Whether this install is a development one, where demo accounts may exist and log in."""
    return bool(settings.M50_DEMO_ACCOUNTS)


def demo_account_refused(user) -> bool:
    """Whether the user is a demo account on an install where demo accounts may not sign in
    (neither by password and session nor by API token)."""
    return bool(getattr(user, "is_demo", False)) and not demo_accounts_allowed()


@transaction.atomic
def demo_accounts_create(*, municipality, origin: str = ""):
    """One account per role, each with a fresh password; returns (user, password) pairs.

    Refused on a production install: the passwords are printed, and the accounts are known.
    """
    if not demo_accounts_allowed():
        raise ValidationError(
            _(
                "Demo-accounts zijn alleen toegestaan in een ontwikkelinstallatie (de ingebouwde "
                "installatie of M50_DEBUG); dit is een productie-installatie."
            )
        )
    result = []
    for username, role, first, last in DEMO_USERS:
        target = municipality if role in MUNICIPAL_ROLES else None
        password = demo_password()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                email=f"{username}@m50.example",
                role=role,
                municipality=target,
                first_name=first,
                last_name=last,
                password=password,
                is_demo=True,
                origin=origin,
            )
        else:
            user = user_role_change(user=user, role=role, municipality=target, origin=origin)
            if not user.is_demo:
                User.objects.filter(pk=user.pk).update(is_demo=True)
                user.is_demo = True
                audit_record(
                    action="user.mark_demo",
                    obj=user,
                    origin=origin,
                    changes=diff({"is_demo": False}, {"is_demo": True}),
                )
            user_password_set(user=user, password=password, origin=origin)
        result.append((user, password))
    return result
