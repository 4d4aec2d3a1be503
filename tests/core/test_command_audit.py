"""Commands are audited as their operator's work from the command line, never as "systeem"."""

import getpass
import importlib
import io

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from m50.accounts import services as account_services
from m50.accounts.models import Role
from m50.core import audit
from m50.core.commands import AuditedCommand
from m50.core.models import AuditEvent
from m50.finance import services as finance_services
from m50.municipalities.models import Municipality
from tests.factories import MunicipalityFactory
from tests.finance import listed

pytestmark = pytest.mark.django_db

# Edited elsewhere at the same time; it takes the same base class when the work is merged, and
# then leaves this set.
PENDING: set[str] = set()


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def m50_commands() -> list[str]:
    return sorted(
        name
        for name, app in get_commands().items()
        if app.startswith("m50.") and name not in PENDING
    )


@pytest.mark.parametrize("name", m50_commands())
def test_every_command_of_the_platform_is_audited_as_its_operators_work(name):
    app = get_commands()[name]
    command = importlib.import_module(f"{app}.management.commands.{name}").Command
    assert issubclass(command, AuditedCommand)
    assert "--operator" in command().create_parser("m50", name).format_help()


def test_demo_accounts_are_audited_with_the_os_user_and_the_command_line():
    MunicipalityFactory(code="GM0384", name="Diemen")
    run("create-demo-accounts")
    events = AuditEvent.objects.filter(action="user.create")
    assert events.count() == len(Role)
    assert set(events.values_list("actor_label", "origin")) == {
        (getpass.getuser(), "opdrachtregel (create-demo-accounts)")
    }
    assert not AuditEvent.objects.filter(actor_label="systeem").exists()


def test_the_operator_can_be_named():
    MunicipalityFactory(code="GM0384", name="Diemen")
    run("create-demo-accounts", "--operator", "Bea Bureau")
    assert set(AuditEvent.objects.values_list("actor_label", flat=True)) == {"Bea Bureau"}


def test_invoice_run_is_audited_with_the_operator():
    finance_services.fee_reference_load()
    listed("Diemen", "GM0384", oin="00000001002306608000")
    run("invoice-run", "--year", "2024", "--datum", "2024-01-16", operator="cron-m50")
    event = AuditEvent.objects.get(action="invoice.run")
    assert (event.actor_label, event.origin, event.actor) == (
        "cron-m50",
        "opdrachtregel (invoice-run)",
        None,
    )


def test_reference_data_keeps_its_own_origin_after_the_command_line():
    run("load-reference-data", operator="beheerder")
    events = AuditEvent.objects.filter(object_type="membership.Decision")
    assert events.exists()
    assert set(events.values_list("actor_label", "origin")) == {
        ("beheerder", "opdrachtregel (load-reference-data): referentiegegevens")
    }
    assert Municipality.objects.filter(code="GM0384").exists()


def test_an_empty_operator_is_refused_and_changes_nothing():
    MunicipalityFactory(code="GM0384", name="Diemen")
    with pytest.raises(CommandError, match="--operator"):
        run("create-demo-accounts", "--operator", "  ")
    assert not AuditEvent.objects.exists()


def test_an_os_user_without_a_name_is_recorded_as_unknown(monkeypatch):
    def no_name():
        raise OSError("geen gebruikersnaam")

    monkeypatch.setattr(getpass, "getuser", no_name)
    MunicipalityFactory(code="GM0384", name="Diemen")
    run("create-demo-accounts")
    assert set(AuditEvent.objects.values_list("actor_label", flat=True)) == {"onbekend"}


def test_outside_a_command_unattended_work_is_still_the_system():
    account_services.user_create(username="iemand", role=Role.BUREAU)
    event = AuditEvent.objects.get()
    assert (event.actor_label, event.origin) == ("systeem", "")


def test_a_signed_in_user_stays_the_actor_inside_a_command(bureau_user):
    with audit.command_line(operator="jan", command="iets"):
        assert audit.audit_actor(bureau_user, "API") == (bureau_user, bureau_user.username, "API")
        assert audit.audit_actor(None) == (None, "jan", "opdrachtregel (iets)")
    assert audit.audit_actor(None) == (None, "systeem", "")
    assert audit.audit_actor(None, "referentiegegevens") == (
        None,
        "referentiegegevens",
        "referentiegegevens",
    )


def test_the_command_modules_are_found():
    # Guards the parametrisation above against silently finding no commands at all.
    names = m50_commands()
    assert {"create-demo-accounts", "invoice-run", "load-reference-data", "import-cbs"} <= set(
        names
    )


def test_import_camt_is_audited_with_the_operator():
    from tests.finance.test_camt import SAMPLE, make_invoices

    make_invoices(4)
    run("import-camt", str(SAMPLE), operator="boekhouder")
    events = AuditEvent.objects.filter(action__in=("bank_statement.import", "payment.register"))
    assert {event.action for event in events} == {"bank_statement.import", "payment.register"}
    assert set(events.values_list("actor_label", "origin", "actor")) == {
        ("boekhouder", "opdrachtregel (import-camt)", None)
    }
