"""`m50 send-reminders`: 60, 30 and 7 days before the mandate's deadline, each once."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from m50.accounts.models import Role
from m50.membership import services
from m50.membership.models import DecidingBody, DecisionKind, ReminderSent
from m50.membership.reminders import mandate_reminders_send
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db
DEADLINE = dt.date(2025, 3, 1)


@pytest.fixture
def aspirant():
    municipality = MunicipalityFactory(name="Proefdorp")
    membership = services.membership_for(municipality=municipality)
    services.decision_record(
        membership=membership,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=dt.date(2024, 3, 1),
        mandated_body=DecidingBody.MAYOR,
    )
    UserFactory(role=Role.MEMBER_CONTACT, municipality=municipality, email="contact@proef.nl")
    UserFactory(role=Role.PARTICIPANT, municipality=municipality, email="deelnemer@proef.nl")
    return membership


def days_before(n: int) -> dt.date:
    return DEADLINE - dt.timedelta(days=n)


@pytest.mark.parametrize(("days", "threshold"), [(60, 60), (45, 60), (30, 30), (7, 7), (0, 7)])
def test_the_most_urgent_due_reminder_is_sent_to_the_contact(aspirant, days, threshold):
    sent = mandate_reminders_send(today=days_before(days))
    assert [(s.days_before, s.days_left) for s in sent] == [(threshold, days)]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["contact@proef.nl"]
    assert f"nog {days} dag" in message.subject
    assert "1 maart 2025" in message.body
    assert "burgemeester" in message.body


def test_nothing_before_sixty_days_and_nothing_after_the_deadline(aspirant):
    assert mandate_reminders_send(today=days_before(61)) == []
    assert mandate_reminders_send(today=DEADLINE + dt.timedelta(days=1)) == []
    assert mail.outbox == []


def test_running_daily_sends_each_reminder_once(aspirant):
    day = days_before(70)
    while day <= DEADLINE + dt.timedelta(days=3):
        mandate_reminders_send(today=day)
        mandate_reminders_send(today=day)  # twice a day changes nothing
        day += dt.timedelta(days=1)
    assert [m.subject.split("nog ")[1].split(" ")[0] for m in mail.outbox] == ["60", "30", "7"]
    assert sorted(ReminderSent.objects.values_list("days_before", flat=True)) == [7, 30, 60]


def test_a_missed_day_does_not_send_an_outdated_reminder(aspirant):
    mandate_reminders_send(today=days_before(10))  # cron was down until 10 days before
    mandate_reminders_send(today=days_before(7))
    # Days left in the subjects; the 60-day reminder was skipped, the 30-day one sent late.
    assert [m.subject.split("nog ")[1].split(" ")[0] for m in mail.outbox] == ["10", "7"]
    assert sorted(ReminderSent.objects.values_list("days_before", flat=True)) == [7, 30]


def test_a_member_gets_no_reminder(aspirant):
    services.decision_record(
        membership=aspirant,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.MAYOR,
        decided_on=days_before(40),
    )
    assert mandate_reminders_send(today=days_before(30)) == []


def test_the_command_prints_what_it_sent_and_is_idempotent(aspirant):
    out = StringIO()
    call_command("send-reminders", "--datum", days_before(30).isoformat(), stdout=out)
    assert "Proefdorp: herinnering 30 dagen" in out.getvalue()
    assert "met waarderapport-proefdorp-2024-2025.pdf" in out.getvalue()
    out = StringIO()
    call_command("send-reminders", "--datum", days_before(30).isoformat(), stdout=out)
    assert out.getvalue().strip() == "Geen herinneringen te versturen."
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="Ongeldige datum"):
        call_command("send-reminders", "--datum", "1-3-2025")


# --- The value report attached -----------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    return " ".join(text.split())


def test_the_reminder_carries_the_value_report_of_the_aspirant_year(aspirant):
    sent = mandate_reminders_send(today=days_before(30))
    assert sent[0].attachment == "waarderapport-proefdorp-2024-2025.pdf"
    message = mail.outbox[0]
    [(filename, data, mimetype)] = message.attachments
    assert (filename, mimetype) == ("waarderapport-proefdorp-2024-2025.pdf", "application/pdf")
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert "Wat het M50 Proefdorp bracht" in text
    # The aspirant year, from the college's decision to its end.
    assert "van 1 maart 2024 tot en met 1 maart 2025" in text
    assert "In de bijlage (waarderapport-proefdorp-2024-2025.pdf)" in message.body
    assert f"/gemeenten/{aspirant.municipality.code}/waarde/" in message.body


def _broken_report(**kwargs):
    raise ValueError("lettertype ontbreekt")


def _database_error_in_report(**kwargs):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")


@pytest.mark.parametrize("failure", [_broken_report, _database_error_in_report])
def test_a_report_that_fails_does_not_hold_the_reminder_back(
    aspirant, monkeypatch, caplog, failure
):
    monkeypatch.setattr("m50.reports.selectors.value_report_attachment", failure)
    sent = mandate_reminders_send(today=days_before(30))
    # Sent once, recorded, without the attachment; the mail says where the report is, the
    # log says why.
    assert [(s.days_before, s.attachment) for s in sent] == [(30, None)]
    message = mail.outbox[0]
    assert message.attachments == []
    assert "kon nu niet worden bijgevoegd" in message.body
    assert f"/gemeenten/{aspirant.municipality.code}/waarde/" in message.body
    assert "Waarderapport van" in caplog.text and "niet gemaakt" in caplog.text
    assert list(ReminderSent.objects.values_list("days_before", flat=True)) == [30]
    # Not sent again when the report renders the next day.
    monkeypatch.undo()
    assert mandate_reminders_send(today=days_before(29)) == []
    assert len(mail.outbox) == 1


def _run_queries(today) -> int:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    # Measured in a transaction that is rolled back: each measurement sends the same reminders.
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        mandate_reminders_send(today=today)
        transaction.set_rollback(True)
    return len(queries)


def _another_aspirant(name, decided_on):
    municipality = MunicipalityFactory(name=name)
    services.decision_record(
        membership=services.membership_for(municipality=municipality),
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=decided_on,
        mandated_body=DecidingBody.MAYOR,
    )
    UserFactory(role=Role.MEMBER_CONTACT, municipality=municipality)


def test_the_run_costs_the_same_queries_for_each_reminder_and_none_for_others(aspirant):
    today = days_before(30)
    one = _run_queries(today)
    _another_aspirant("Tweedorp", dt.date(2024, 3, 1))
    two = _run_queries(today)
    _another_aspirant("Driedorp", dt.date(2024, 3, 1))
    three = _run_queries(today)
    # A fixed number per reminder sent (today 6 for the reminder, 21 for its value report).
    assert three - two == two - one
    for number in range(5):  # deadlines far ahead: nothing due
        _another_aspirant(f"Later{number}", dt.date(2024, 9, 1))
    assert _run_queries(today) == three
    assert len(mail.outbox) == 1 + 2 + 3 + 3  # the later ones got none
