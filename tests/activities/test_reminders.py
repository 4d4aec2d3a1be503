"""``m50 send-activity-reminders``: each seat of a scheduled activity gets its reminders once,
the latest due only, never for a moment before the person had their seat, nothing after the
start; a dry run sends and records nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from m50.activities import services
from m50.activities.models import ReminderSent
from m50.activities.services.reminders import due_days, reminders_send
from tests.activities.conftest import participant, plan

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("send-activity-reminders", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def soon(bureau, diemen, houten, monkeypatch):
    """An activity starting in ten days with one seat, a waiting place and a cancelled
    registration."""
    start = timezone.now() + 10 * DAY
    activity = plan(bureau, starts_at=start, capacity=1, title="Ledenvergadering")
    seated, waiting, gone = participant(diemen), participant(houten), participant(diemen)
    for user in (seated, waiting, gone):
        services.registration_create(activity=activity, person=user.person, actor=bureau)
    services.registration_cancel(
        registration=activity.registrations.get(person=gone.person), actor=bureau
    )
    mail.outbox.clear()
    return activity, seated, waiting


def at(monkeypatch, moment):
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


def test_each_reminder_once_to_the_seated_only(soon, monkeypatch):
    activity, seated, waiting = soon
    at(monkeypatch, activity.starts_at - 7 * DAY + H)
    output = run()
    assert "1 herinnering verstuurd" in output and "7, 1 dagen vooraf" in output
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([seated.person.email], f"Herinnering: Ledenvergadering op {_date(activity)}")
    ]
    assert "Een herinnering: u bent aangemeld voor Ledenvergadering" in mail.outbox[0].body
    # An hour later, and again: nothing new.
    at(monkeypatch, activity.starts_at - 7 * DAY + 2 * H)
    assert "0 herinneringen verstuurd" in run()
    assert "0 herinneringen verstuurd" in run()
    # The day before: the second reminder.
    at(monkeypatch, activity.starts_at - DAY + H)
    run()
    assert len(mail.outbox) == 2
    assert sorted(ReminderSent.objects.values_list("days_before", flat=True)) == [1, 7]
    # After the start nothing more.
    at(monkeypatch, activity.starts_at + H)
    run()
    assert len(mail.outbox) == 2


def _date(activity) -> str:
    from django.utils import formats

    local = timezone.localtime(activity.starts_at)
    return formats.date_format(local, "j F Y")


def test_a_cancelled_activity_gets_no_reminders(soon, bureau, monkeypatch):
    activity = soon[0]
    services.activity_cancel(activity=activity, actor=bureau, reason="Gaat niet door")
    mail.outbox.clear()
    at(monkeypatch, activity.starts_at - DAY + H)
    assert "0 herinneringen verstuurd" in run()
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_who_registers_late_gets_only_the_reminders_still_ahead(bureau, diemen, monkeypatch):
    activity = plan(bureau, starts_at=timezone.now() + 3 * DAY)
    user = participant(diemen)
    services.registration_create(activity=activity, person=user.person, actor=user)
    # The one-week moment passed before they registered: no reminder now.
    assert reminders_send().sent == []
    at(monkeypatch, activity.starts_at - DAY + H)
    report = reminders_send()
    assert [r.days_before for r in report.sent] == [1]


def test_after_a_pause_only_the_latest_due_reminder_goes(soon, monkeypatch):
    activity, seated, _waiting = soon
    # The command did not run for a week: the one-day reminder only.
    at(monkeypatch, activity.starts_at - 12 * H)
    report = reminders_send()
    assert [(r.person, r.days_before) for r in report.sent] == [(seated.person.full_name, 1)]
    assert reminders_send().sent == []


def test_the_moved_up_get_reminders_from_their_seat_on(soon, bureau, monkeypatch):
    activity, seated, waiting = soon
    at(monkeypatch, activity.starts_at - 2 * DAY)
    services.registration_cancel(
        registration=activity.registrations.get(person=seated.person), actor=bureau
    )
    at(monkeypatch, activity.starts_at - DAY + H)
    assert [r.person for r in reminders_send().sent] == [waiting.person.full_name]


def test_a_dry_run_sends_and_records_nothing(soon, monkeypatch):
    activity, seated, _waiting = soon
    at(monkeypatch, activity.starts_at - DAY + H)
    output = run("--dry-run")
    assert "Proefdraaien: 1 herinnering zou verstuurd worden" in output
    assert seated.person.email in output
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_the_days_come_from_the_settings(soon, settings, monkeypatch):
    activity = soon[0]
    settings.M50_ACTIVITY_REMINDER_DAYS = [3]
    at(monkeypatch, activity.starts_at - 7 * DAY + H)
    assert reminders_send().sent == []
    at(monkeypatch, activity.starts_at - 3 * DAY + H)
    assert [r.days_before for r in reminders_send().sent] == [3]
    settings.M50_ACTIVITY_REMINDER_DAYS = []
    at(monkeypatch, activity.starts_at - 2 * H)
    assert reminders_send().sent == []


def test_a_new_start_rearms_the_reminders_still_ahead(soon, bureau, monkeypatch):
    activity, seated, _waiting = soon
    at(monkeypatch, activity.starts_at - 7 * DAY + H)
    assert len(reminders_send().sent) == 1
    services.activity_update(
        activity=activity,
        actor=bureau,
        starts_at=activity.starts_at + 14 * DAY,
        ends_at=activity.ends_at + 14 * DAY,
    )
    assert not ReminderSent.objects.exists()
    activity.refresh_from_db()
    at(monkeypatch, activity.starts_at - 7 * DAY + H)
    assert [r.person for r in reminders_send().sent] == [seated.person.full_name]


def test_a_failing_mail_server_leaves_the_reminder_for_the_next_run(soon, monkeypatch):
    activity, seated, _waiting = soon
    at(monkeypatch, activity.starts_at - DAY + H)

    def refuse(self, *args, **kwargs):
        raise OSError("verbinding geweigerd")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refuse)
        report = reminders_send()
    assert report.sent == [] and report.failed[0][0] == seated.person.full_name
    assert not ReminderSent.objects.exists()
    assert len(reminders_send().sent) == 1


def test_who_has_no_address_is_reported(soon, monkeypatch):
    activity, seated, _waiting = soon
    seated.person.email = ""
    seated.person.save()
    seated.email = ""
    seated.save()
    at(monkeypatch, activity.starts_at - DAY + H)
    assert "Geen e-mailadres voor: " + seated.person.full_name in run()
    assert not ReminderSent.objects.exists()


def test_a_run_overtaken_by_another_skips_the_reminder_it_recorded(soon, monkeypatch):
    """Two runs that overlap: both found the reminder due; the other recorded it first, so the
    unique record makes this one skip it instead of sending it again."""
    from m50.activities.services import reminders

    activity, seated, _waiting = soon
    at(monkeypatch, activity.starts_at - DAY + H)
    found = reminders.reminders_due

    def overtaken(**kwargs):
        due = found(**kwargs)
        for registration, days_before in due:
            ReminderSent.objects.create(registration=registration, days_before=days_before)
        return due

    monkeypatch.setattr(reminders, "reminders_due", overtaken)
    assert reminders_send().sent == []
    assert mail.outbox == []
    assert ReminderSent.objects.count() == 1


def test_due_days():
    start = datetime.datetime(2027, 3, 10, 10, tzinfo=datetime.UTC)
    early = start - 30 * DAY
    assert due_days(starts_at=start, seated_at=early, now=start - 8 * DAY, days=[7, 1]) is None
    assert due_days(starts_at=start, seated_at=early, now=start - 7 * DAY, days=[7, 1]) == 7
    assert due_days(starts_at=start, seated_at=early, now=start - H, days=[7, 1]) == 1
    assert due_days(starts_at=start, seated_at=early, now=start, days=[7, 1]) is None
    late = start - 2 * DAY
    assert due_days(starts_at=start, seated_at=late, now=start - 2 * DAY + H, days=[7, 1]) is None
