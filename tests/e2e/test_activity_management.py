"""Organising in the browser: the bureau plans a meeting, adds its agenda, and records who
attended one that has begun; axe-core on the planning form, the management page and the
document form."""

import datetime
import re

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from m50.accounts.models import Role
from m50.activities import notifications, services
from m50.activities.models import Activity, ActivityDocument, Attendance, Kind
from tests.e2e.test_registry import check_page
from tests.factories import PersonFactory

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_bureau_plans_a_meeting_and_records_attendance(
    page, live_server, login, axe_check, fits_narrow_screen, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    try:
        reverse("activities:detail", kwargs={"pk": 1})
    except NoReverseMatch:
        # The e-mails link to the activity's page, which the agenda's part of the app adds.
        monkeypatch.setattr(
            notifications, "activity_url", lambda activity: f"/activiteiten/{activity.pk}/"
        )
    bureau = login(Role.BUREAU)
    day = timezone.localdate() + datetime.timedelta(days=21)

    page.goto(f"{live_server.url}/activiteiten/nieuw/")
    expect(page.locator("h1")).to_have_text("Activiteit plannen")
    check_page(page, axe_check, fits_narrow_screen)
    # Without an end time the form says what is missing, at the field.
    page.get_by_label("Soort activiteit").select_option(label="ledenvergadering")
    page.get_by_label("Titel").fill("Voorjaarsledenvergadering")
    page.get_by_label("Datum (eerste dag)").fill(day.isoformat())
    page.get_by_label("Begintijd").fill("14:00")
    page.get_by_role("button", name="Activiteit plannen").click()
    expect(page.get_by_text("Er is niets vastgelegd")).to_be_visible()
    expect(page.get_by_text("Vul een eindtijd in, of kies ‘hele dag’.").first).to_be_visible()
    axe_check()
    page.get_by_label("Eindtijd").fill("16:30")
    page.get_by_label("Aantal plaatsen").fill("30")
    page.get_by_role("button", name="Activiteit plannen").click()
    expect(page).to_have_url(re.compile(r"/activiteiten/\d+/beheer/$"))
    expect(page.get_by_text("De activiteit Voorjaarsledenvergadering is gepland.")).to_be_visible()
    activity = Activity.objects.get(title="Voorjaarsledenvergadering")
    assert timezone.localtime(activity.starts_at).strftime("%H:%M") == "14:00"
    check_page(page, axe_check, fits_narrow_screen)

    # The agenda as a PDF.
    page.get_by_role("link", name="Document toevoegen").click()
    check_page(page, axe_check, fits_narrow_screen)
    page.get_by_label("Soort document").select_option(label="agenda")
    page.get_by_label("Titel").fill("Agenda")
    page.get_by_label("Bestand").set_input_files(
        files=[{"name": "agenda.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Document toevoegen").click()
    expect(page.get_by_text("Het document Agenda is toegevoegd.")).to_be_visible()
    assert ActivityDocument.objects.get(activity=activity).filename == "agenda.pdf"
    expect(page.get_by_role("link", name="Agenda", exact=True)).to_be_visible()
    axe_check()

    # A meeting that began an hour ago: who came.
    now = timezone.now()
    begun = services.activity_create(
        actor=bureau,
        kind=Kind.GENERAL_MEETING,
        title="Najaarsledenvergadering",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
    )
    for given_name in ("Karin", "Kees"):
        services.registration_create(
            activity=begun,
            person=PersonFactory(given_name=given_name, surname="Aanwezig"),
            actor=bureau,
        )
    page.goto(f"{live_server.url}/activiteiten/{begun.pk}/beheer/")
    page.get_by_label("Karin Aanwezig").check()
    page.get_by_role("button", name="Aanwezigheid vastleggen").click()
    expect(
        page.get_by_text("De aanwezigheid is vastgelegd; aangemeld en aanwezig: 1.")
    ).to_be_visible()
    page.get_by_label("Of alleen de naam").fill("Piet Binnenloper")
    page.get_by_role("button", name="Als aanwezig noteren").click()
    expect(page.get_by_text("Piet Binnenloper staat als aanwezig genoteerd.")).to_be_visible()
    assert sorted(a.name for a in Attendance.objects.filter(activity=begun)) == [
        "Karin Aanwezig",
        "Piet Binnenloper",
    ]
    expect(page.get_by_label("Karin Aanwezig")).to_be_checked()
    check_page(page, axe_check, fits_narrow_screen)
