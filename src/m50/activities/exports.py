"""An activity's registrations and attendance as files: CSV for Dutch Excel and XLSX, the same
columns in both, written as the rows come (see :mod:`m50.core.tabular`): one query per list,
whatever its length."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from m50.activities import selectors
from m50.activities.models import RegistrationState
from m50.activities.services._common import local_zone
from m50.core import tabular
from m50.core.tabular import NUMBER

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
REGISTRATIONS = "aanmeldingen"
ATTENDANCE = "aanwezigheid"
LIST_LABELS = {
    REGISTRATIONS: gettext_lazy("Aanmeldingen"),
    ATTENDANCE: gettext_lazy("Aanwezigheid"),
}
MOMENT_WIDTH = len("2026-12-02 14:00")
CHUNK = 2000


def moment(value) -> str:
    """A moment in Amsterdam time as ``2026-12-02 14:00`` (text: a spreadsheet date has no
    zone, and the time matters here)."""
    if value is None:
        return ""
    return timezone.localtime(value, local_zone()).strftime("%Y-%m-%d %H:%M")


def registration_headers() -> list[str]:
    return [
        _("Naam"),
        _("Gemeente"),
        _("CBS-code"),
        _("Status"),
        _("Plaats op de wachtlijst"),
        _("Aangemeld op"),
        _("Afgemeld op"),
        _("Opmerking"),
    ]


REGISTRATION_KINDS = [30, 20, 8, 16, NUMBER, MOMENT_WIDTH, MOMENT_WIDTH, 30]


def registration_rows(activity) -> Iterator[list]:
    labels = dict(RegistrationState.choices)
    position = 0
    # Seats, then the waiting list in its order, then the cancelled.
    queue = Case(
        When(state=RegistrationState.CONFIRMED, then=Value(0)),
        When(state=RegistrationState.WAITLISTED, then=Value(1)),
        default=Value(2),
    )
    queryset = selectors.registration_list(activity=activity).order_by(queue, "registered_at", "pk")
    for r in queryset.iterator(chunk_size=CHUNK):
        waiting = None
        if r.state == RegistrationState.WAITLISTED:
            position += 1
            waiting = position
        yield [
            r.person.full_name,
            r.municipality.name if r.municipality_id else "",
            r.municipality.code if r.municipality_id else "",
            str(labels[r.state]),
            waiting,
            moment(r.registered_at),
            moment(r.cancelled_at),
            r.note,
        ]


def attendance_headers() -> list[str]:
    return [
        _("Naam"),
        _("Gemeente"),
        _("CBS-code"),
        _("Zonder aanmelding"),
        _("Jaar"),
        _("Vastgelegd op"),
    ]


ATTENDANCE_KINDS = [30, 20, 8, 6, NUMBER, MOMENT_WIDTH]


def attendance_rows(activity) -> Iterator[list]:
    for a in selectors.attendance_list(activity=activity).iterator(chunk_size=CHUNK):
        yield [
            a.name,
            a.municipality.name if a.municipality_id else "",
            a.municipality.code if a.municipality_id else "",
            _("ja") if a.walk_in else _("nee"),
            a.year,
            moment(a.recorded_at),
        ]


def export_response(activity, name: str, export_format: str):
    day = timezone.localtime(activity.starts_at, local_zone()).date().isoformat()
    filename = f"m50-{name}-{day}-{slugify(activity.title)[:40] or activity.pk}.{export_format}"
    if name == REGISTRATIONS:
        headers, kinds, rows = registration_headers(), REGISTRATION_KINDS, registration_rows
    else:
        headers, kinds, rows = attendance_headers(), ATTENDANCE_KINDS, attendance_rows
    if export_format == CSV:
        return tabular.csv_response(headers, rows(activity), filename)
    return tabular.xlsx_response(headers, kinds, rows(activity), filename, str(LIST_LABELS[name]))
