"""The network's annual report: the figures of the year page (:func:`dashboard.network_year`)
as a document, written as DOCX and PDF by the council memo's renderer, so that page and
document say the same."""

from __future__ import annotations

import datetime

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from m50.core.formats import long_date, money
from m50.municipalities.charts import format_count
from m50.reports.dashboard import NetworkYear, StatusChange, network_year
from m50.reports.memo.content import MemoContent, Section, SectionTable

FORMATS = ("docx", "pdf")


def _nothing() -> str:
    return _("Nog niets vastgelegd.")


def _members(members: int, aspirants: int) -> str:
    return _("%(members)s en %(aspirants)s") % {
        "members": ngettext("%(count)s lid", "%(count)s leden", members)
        % {"count": format_count(members)},
        "aspirants": ngettext("%(count)s aspirant-lid", "%(count)s aspirant-leden", aspirants)
        % {"count": format_count(aspirants)},
    }


def _changes(label: str, changes: list[StatusChange]) -> str:
    if not changes:
        return f"{label}: 0."
    named = ", ".join(f"{change.name} ({long_date(change.day)})" for change in changes)
    return f"{label}: {len(changes)}: {named}."


def _members_section(data: NetworkYear) -> Section:
    paragraphs = [
        _("Op %(day)s: %(counts)s.")
        % {
            "day": long_date(data.start),
            "counts": _members(data.members_start, data.aspirants_start),
        },
        _("Op %(day)s: %(counts)s.")
        % {"day": long_date(data.end), "counts": _members(data.members_end, data.aspirants_end)},
    ]
    if data.changes:
        paragraphs.extend(
            _changes(label, changes)
            for label, changes in (
                (_("Aspirant-lid geworden"), data.joined_aspirant),
                (_("Definitief lid geworden"), data.joined_member),
                (_("Lidmaatschap voortgezet na herindeling"), data.continued),
                (_("Lidmaatschap beëindigd"), data.left),
            )
        )
    else:
        paragraphs.append(_("Bijgekomen en vertrokken: nog niets vastgelegd."))
    table = SectionTable(
        header=(_("Peildatum"), _("Leden"), _("Aspirant-leden")),
        rows=(
            (
                long_date(data.start),
                format_count(data.members_start),
                format_count(data.aspirants_start),
            ),
            (long_date(data.end), format_count(data.members_end), format_count(data.aspirants_end)),
        ),
    )
    return Section(_("Leden"), tuple(paragraphs), (table,))


def _contribution_section(data: NetworkYear) -> Section:
    row = data.contribution
    if row is None:
        return Section(_("Contributie"), (_nothing(),))
    return Section(
        _("Contributie"),
        (
            _("Contributiejaar %(year)s, %(invoices)s.")
            % {
                "year": data.year,
                "invoices": ngettext("%(count)s factuur", "%(count)s facturen", row.invoices)
                % {"count": format_count(row.invoices)},
            },
            _("Gefactureerd: %(amount)s.") % {"amount": money(row.invoiced)},
            _("Betaald: %(amount)s.") % {"amount": money(row.paid)},
            _("Openstaand: %(amount)s.") % {"amount": money(row.open)},
        ),
    )


def _pillars_section(data: NetworkYear) -> Section:
    if not data.pillars:
        return Section(_("Pijlers en deelname"), (_nothing(),))
    return Section(
        _("Pijlers en deelname"),
        (
            _(
                "Leden en aspirant-leden die deelnemen aan ten minste één pijler: "
                "%(taking_part)s; zonder deelname aan een pijler: %(without)s."
            )
            % {
                "taking_part": format_count(data.participating_municipalities),
                "without": format_count(data.without_pillar),
            },
            _("Deelname per pijler op %(stand)s:") % {"stand": long_date(data.end)},
        ),
        (
            SectionTable(
                header=(_("Pijler"), _("Gemeenten"), _("Deelnemers")),
                rows=tuple(
                    (p.name, format_count(p.municipalities), format_count(p.officials))
                    for p in data.pillars
                ),
            ),
        ),
    )


def _activities_section(data: NetworkYear) -> Section:
    heading = _("Activiteiten en aanwezigheid")
    activities = data.activities
    if not activities.by_kind:
        return Section(heading, (_nothing(),))
    present = activities.municipalities_present
    rows = [
        (
            capfirst(row.label),
            format_count(row.activities),
            format_count(row.attendance),
        )
        for row in activities.by_kind
    ]
    rows.append(
        (_("Samen"), format_count(activities.activities), format_count(activities.attendance))
    )
    return Section(
        heading,
        (
            ngettext(
                "Er was %(count)s gemeente aanwezig bij ten minste één activiteit.",
                "Er waren %(count)s gemeenten aanwezig bij ten minste één activiteit.",
                present,
            )
            % {"count": format_count(present)},
            _(
                "Gehouden activiteiten en aanwezigen per soort (geannuleerde activiteiten niet "
                "meegeteld):"
            ),
        ),
        (SectionTable(header=(_("Soort"), _("Activiteiten"), _("Aanwezigen")), rows=tuple(rows)),),
    )


def _public_affairs_section(data: NetworkYear) -> Section:
    heading = _("Public affairs")
    contacts = data.interactions
    if not (contacts.by_kind or data.motions_followed):
        return Section(heading, (_nothing(),))
    per_kind = ", ".join(
        f"{format_count(count)} {label}" for _kind, label, count in contacts.by_kind
    )
    themes = ", ".join(f"{name} ({format_count(count)})" for name, count in contacts.themes)
    return Section(
        heading,
        (
            _("Contactmomenten: %(total)s%(per_kind)s.")
            % {
                "total": format_count(contacts.total),
                "per_kind": f": {per_kind}" if per_kind else "",
            },
            _("Gemeenten bezocht op werkbezoek: %(count)s.")
            % {"count": format_count(contacts.work_visit_municipalities)},
            _("Thema's van de contactmomenten: %(themes)s.")
            % {"themes": themes or _("geen thema vastgelegd")},
            _("Gevolgde moties: %(followed)s, waarvan %(adopted)s aangenomen.")
            % {
                "followed": format_count(data.motions_followed),
                "adopted": format_count(data.motions_adopted),
            },
        ),
    )


def _knowledge_section(data: NetworkYear) -> Section:
    heading = _("Gedeelde kennis")
    if not data.knowledge:
        return Section(heading, (_nothing(),))
    per_kind = ", ".join(f"{format_count(count)} {label}" for _kind, label, count in data.knowledge)
    return Section(
        heading,
        (
            _("Gepubliceerde kennisitems: %(total)s: %(per_kind)s.")
            % {"total": format_count(data.knowledge_total), "per_kind": per_kind},
        ),
    )


def annual_report_content(data: NetworkYear) -> MemoContent:
    """The annual report of ``data``'s year: the same facts as the year page, in its order."""
    title = _("Jaarverslag M50 %(year)s") % {"year": data.year}
    year = (
        str(data.year)
        if data.complete
        else _("%(year)s (lopend jaar, tot en met %(day)s)")
        % {"year": data.year, "day": long_date(data.end)}
    )
    fields = (
        (_("Jaar"), year),
        (_("Stand"), long_date(data.end)),
        (
            _("Bron"),
            _(
                "het M50-platform: besluiten; facturen en betalingen (contributiejaar "
                "%(year)s); pijlers en deelnames; activiteiten en aanwezigheid (geannuleerde "
                "activiteiten niet meegeteld); contactmomenten en moties (Tweede Kamer: open "
                "data, CC0); de kennisbank"
            )
            % {"year": data.year},
        ),
    )
    sections = (
        _members_section(data),
        _contribution_section(data),
        _pillars_section(data),
        _activities_section(data),
        _public_affairs_section(data),
        _knowledge_section(data),
    )
    return MemoContent(title, fields, sections, values={})


def annual_report_file(
    *,
    year: int,
    file_format: str,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> tuple[bytes, str, str]:
    """(bytes, content type, file extension) of the network's annual report for ``year`` in
    ``docx`` or ``pdf``: the queries of :func:`network_year`, whatever the number of members."""
    from m50.reports.memo import render

    content = annual_report_content(network_year(year=year, today=today, now=now))
    if file_format == "pdf":
        return render.memo_pdf(content), render.PDF_TYPE, "pdf"
    if file_format == "docx":
        return render.memo_docx(content), render.DOCX_TYPE, "docx"
    raise ValueError(file_format)


def annual_report_filename(year: int, extension: str) -> str:
    return f"jaarverslag-m50-{year}.{extension}"
