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
    out = StringIO()
    call_command("send-reminders", "--datum", days_before(30).isoformat(), stdout=out)
    assert out.getvalue().strip() == "Geen herinneringen te versturen."
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="Ongeldige datum"):
        call_command("send-reminders", "--datum", "1-3-2025")
