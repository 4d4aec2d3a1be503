"""The memo's text from its facts and what the user gave: the same content for DOCX, PDF and
the house template. Refuses, before anything is written, with the list of what is missing:
no field of a memo is ever empty or a placeholder."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from m50.core.formats import long_date, money
from m50.membership import rules
from m50.membership.models import DecidingBody, DecisionKind, body_phrase
from m50.pillars.models import Category
from m50.reports.memo.facts import MUNICIPAL_BODIES, MemoFacts

TITLE = "Informatie van de burgemeester"
QUESTION_HISTORY = "Wat is de voorgeschiedenis en de concrete aanleiding van de informatie?"
QUESTION_DECISION = "Ligt aan de informatie een collegebesluit ten grondslag?"
NOTHING = "nog niets vastgelegd"
# Characters a field of the memo may not hold: control characters (tab and line breaks too).
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NUMBER_WORDS = ["geen", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]


class MemoRefused(Exception):
    """What is missing for the memo, each a Dutch sentence."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__("; ".join(missing))


@dataclass(frozen=True)
class MemoInput:
    datum: datetime.date | None = None
    portefeuillehouder: str = ""
    team: str = ""
    steller: str = ""
    onderwerp: str = ""
    begrotingspost: str = ""


@dataclass(frozen=True)
class SectionTable:
    """A table in a section: a header row, then rows of the same width (all text)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]
    # After the paragraphs; the memo has none, the network's annual report has some.
    tables: tuple[SectionTable, ...] = ()


@dataclass(frozen=True)
class MemoContent:
    title: str
    fields: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    values: dict  # placeholder name -> text, for the house template

    def text(self) -> str:
        lines = [self.title, *(f"{label}: {value}" for label, value in self.fields)]
        for section in self.sections:
            lines.append(section.heading)
            lines.extend(section.paragraphs)
            for table in section.tables:
                lines.extend(" | ".join(row) for row in (table.header, *table.rows))
        return "\n".join(lines)


def count_word(count: int) -> str:
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def enumerate_nl(items) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def inhabitants(count: int) -> str:
    return number_format(count, use_l10n=True, force_grouping=True)


def listed_month(value: str) -> str:
    """``2023-04`` as ``april 2023``; anything else as it is."""
    try:
        year, month = value.split("-")[:2]
        # The month in the active language, as long_date writes the memo's other dates.
        return date_format(datetime.date(int(year), int(month), 1), "F Y")
    except (ValueError, IndexError):
        return value


def missing_inputs(facts: MemoFacts, given: MemoInput) -> list[str]:
    missing = []
    if given.datum is None:
        missing.append(_("de datum van de collegevergadering (Datum)"))
    if not given.portefeuillehouder.strip() and facts.portfolio_holder is None:
        missing.append(
            _(
                "de portefeuillehouder: het platform kent geen burgemeester of wethouder van de "
                "gemeente met dit onderwerp in de portefeuille"
            )
        )
    if not given.team.strip():
        missing.append(_("het team"))
    if not given.steller.strip():
        missing.append(_("de steller"))
    if not facts.membership.exists:
        missing.append(_("een lidmaatschapsdossier van de gemeente bij het M50"))
    if facts.start > facts.end:
        missing.append(_("een periode waarvan het begin niet na het einde ligt"))
    for label, text in (
        (_("Portefeuillehouder"), given.portefeuillehouder),
        (_("Team"), given.team),
        (_("Steller"), given.steller),
        (_("Onderwerp"), given.onderwerp),
        (_("Begrotingspost"), given.begrotingspost),
    ):
        # A Word document cannot hold them (python-docx refuses), a council has no use for them.
        if CONTROL.search(text or ""):
            missing.append(
                _("%(field)s zonder onzichtbare stuurtekens (zoals een tab of regeleinde)")
                % {"field": label}
            )
    return missing


def decision_sentence(d) -> str:
    body = body_phrase(d.deciding_body)
    day = long_date(d.decided_on)
    if d.kind == DecisionKind.ASPIRANT:
        text = _("Op %(day)s besloot %(body)s tot aspirant-lidmaatschap van het M50.") % {
            "day": day,
            "body": body,
        }
        if d.mandated_body and d.mandate_deadline:
            text += " " + _mandate_clause(d)
        return text
    if d.kind == DecisionKind.MANDATE:
        return (
            _("Op %(day)s besloot %(body)s:") % {"day": day, "body": body}
            + " "
            + (_mandate_clause(d))
        )
    if d.kind == DecisionKind.DEFINITIVE:
        text = _("Op %(day)s besloot %(body)s tot definitief (betaald) lidmaatschap") % {
            "day": day,
            "body": body,
        }
        if d.under_mandate_of:
            text += _(", op grond van het mandaat van %(day)s") % {
                "day": long_date(d.under_mandate_of)
            }
        text += "."
        if d.announced_on:
            if d.deciding_body == DecidingBody.MAYOR:
                text += " " + _(
                    "Het besluit van de burgemeester is bekendgemaakt in de collegevergadering "
                    "van %(day)s."
                ) % {"day": long_date(d.announced_on)}
            else:
                text += " " + _("Het besluit is bekendgemaakt op %(day)s.") % {
                    "day": long_date(d.announced_on)
                }
        if d.effective_on != d.decided_on:
            text += " " + _("Het lidmaatschap gaat in op %(day)s.") % {
                "day": long_date(d.effective_on)
            }
        return text
    if d.kind == DecisionKind.TERMINATION:
        return _(
            "Op %(day)s besloot %(body)s het lidmaatschap op te zeggen; het eindigt met ingang "
            "van %(end)s."
        ) % {"day": day, "body": body, "end": long_date(d.effective_on)}
    if d.kind == DecisionKind.SUCCESSION:
        return _(
            "Met ingang van %(day)s zet de gemeente, na de herindeling, het lidmaatschap van "
            "%(predecessor)s voort (vastgelegd door %(body)s op %(decided)s)."
        ) % {
            "day": long_date(d.effective_on),
            "predecessor": d.predecessor or _("de opgeheven gemeente"),
            "body": body,
            "decided": day,
        }
    return ""


def _mandate_clause(d) -> str:
    one_year = rules.add_one_year(d.decided_on) == d.mandate_deadline
    values = {
        "mandated": body_phrase(d.mandated_body),
        "deadline": long_date(d.mandate_deadline),
    }
    if one_year:
        return (
            _(
                "Daarbij is %(mandated)s gemandateerd om uiterlijk een jaar later, op "
                "%(deadline)s, te besluiten over definitief (betaald) lidmaatschap."
            )
            % values
        )
    return (
        _(
            "Daarbij is %(mandated)s gemandateerd om uiterlijk op %(deadline)s te besluiten over "
            "definitief (betaald) lidmaatschap."
        )
        % values
    )


def _history(facts: MemoFacts) -> tuple[str, ...]:
    reg = facts.registry
    band = {"min": inhabitants(reg.band_min), "max": inhabitants(reg.band_max)}
    paragraphs = [
        _(
            "Het M50 is het netwerk van middelgrote gemeenten: gemeenten met %(min)s tot %(max)s "
            "inwoners. Het netwerk deelt kennis en voorbeelden tussen de leden en behartigt hun "
            "belangen in Den Haag, met de kracht van het aantal."
        )
        % band
    ]
    if reg.entered_band is not None:
        paragraphs.append(
            _(
                "%(name)s groeide in %(year)s in de groep van middelgrote gemeenten: op 1 januari "
                "%(year)s telde de gemeente %(count)s inwoners (bron: %(source)s)."
            )
            % {
                "name": reg.name,
                "year": reg.entered_band.year,
                "count": inhabitants(reg.entered_band.inhabitants),
                "source": reg.entered_band.source or "CBS",
            }
        )
    if reg.latest is not None:
        paragraphs.append(
            _("Op 1 januari %(year)s telde %(name)s %(count)s inwoners (bron: %(source)s).")
            % {
                "year": reg.latest.year,
                "name": reg.name,
                "count": inhabitants(reg.latest.inhabitants),
                "source": reg.latest.source or "CBS",
            }
        )
    else:
        paragraphs.append(
            _("Van %(name)s zijn in het platform nog geen inwonertallen van het CBS vastgelegd.")
            % {"name": reg.name}
        )
    member = facts.membership
    if member.listed_since:
        paragraphs.append(
            _("%(name)s staat sinds %(month)s op de ledenlijst van het M50 (bron: %(source)s).")
            % {
                "name": reg.name,
                "month": listed_month(member.listed_since),
                "source": member.listed_source or _("ledenlijst van het M50"),
            }
        )
    paragraphs.extend(decision_sentence(d) for d in member.decisions)
    if not member.decisions and not member.listed_since:
        paragraphs.append(_("Over het lidmaatschap is nog geen besluit vastgelegd."))
    paragraphs.append(
        _("Op %(day)s is de gemeente %(status)s van het M50.")
        % {"day": long_date(facts.end), "status": rules.STATUS_LABELS[member.status]}
        if member.status in rules.RUNNING
        else _("Op %(day)s is de gemeente geen lid van het M50 (%(status)s).")
        % {"day": long_date(facts.end), "status": rules.STATUS_LABELS[member.status]}
    )
    if member.mandate_deadline:
        paragraphs.append(
            _("Over definitief lidmaatschap moet uiterlijk %(day)s worden besloten.")
            % {"day": long_date(member.mandate_deadline)}
        )
    return tuple(paragraphs)


def _college_decision(facts: MemoFacts) -> str:
    parts = []
    for d in facts.membership.decisions:
        if d.deciding_body not in MUNICIPAL_BODIES:
            continue
        if d.deciding_body == DecidingBody.MAYOR and d.under_mandate_of:
            label = _("besluit van de burgemeester op grond van mandaat van het college")
        else:
            label = _("%(body)s, %(kind)s") % {
                "body": body_phrase(d.deciding_body),
                "kind": DecisionKind(d.kind).label,
            }
        parts.append(f"{long_date(d.decided_on)} ({label})")
    if parts:
        return _("Ja, datum: %(dates)s.") % {"dates": "; ".join(parts)}
    return _(
        "Nee: in het platform is geen besluit van het college, de raad of de burgemeester "
        "over het lidmaatschap vastgelegd."
    )


def period_text(facts: MemoFacts) -> str:
    return _("van %(start)s tot en met %(end)s") % {
        "start": long_date(facts.start),
        "end": long_date(facts.end),
    }


def summary_paragraphs(facts: MemoFacts) -> tuple[str, ...]:
    name = facts.registry.name
    paragraphs = []
    pillars = facts.pillars
    if pillars.current:
        text = _("Het M50 werkt met %(count)s pijlers: %(names)s.") % {
            "count": count_word(len(pillars.current)),
            "names": enumerate_nl(pillars.current),
        }
        if pillars.former:
            text += " " + _("Daarvoor waren het er %(count)s: %(names)s.") % {
                "count": count_word(len(pillars.former)),
                "names": enumerate_nl(pillars.former),
            }
        paragraphs.append(text)
    else:
        paragraphs.append(_("Pijlers: %(nothing)s.") % {"nothing": NOTHING})
    if facts.participation:
        for body in facts.participation:
            by_category: dict[str, list[str]] = {}
            for person in body.participants:
                by_category.setdefault(person.category, []).append(
                    f"{person.name} ({person.function})"
                )
            parts = [
                f"{Category(category).label}: {enumerate_nl(names)}"
                for category, names in by_category.items()
            ]
            kind = _("pijler") if body.is_pillar else _("themagroep")
            paragraphs.append(
                _("Deelname aan %(kind)s %(body)s — %(parts)s.")
                % {"kind": kind, "body": body.body, "parts": "; ".join(parts)}
            )
    else:
        paragraphs.append(
            _("Deelname van %(name)s aan pijlers en themagroepen: %(nothing)s.")
            % {"name": name, "nothing": NOTHING}
        )
    acts = facts.activities
    if acts.attended:
        paragraphs.append(
            _(
                "Activiteiten bijgewoond %(period)s: %(count)d, met in totaal %(people)d "
                "deelnemers van de gemeente (%(titles)s)."
            )
            % {
                "period": period_text(facts),
                "count": len(acts.attended),
                "people": acts.people,
                "titles": "; ".join(f"{a.title}, {long_date(a.day)}" for a in acts.attended),
            }
        )
    else:
        paragraphs.append(
            _("Activiteiten bijgewoond %(period)s: %(nothing)s.")
            % {"period": period_text(facts), "nothing": NOTHING}
        )
    if acts.hosted:
        paragraphs.append(
            _("Activiteiten in %(name)s als gastgemeente: %(titles)s.")
            % {
                "name": name,
                "titles": "; ".join(f"{a.title}, {long_date(a.day)}" for a in acts.hosted),
            }
        )
    else:
        paragraphs.append(
            _("Activiteiten met %(name)s als gastgemeente: %(nothing)s.")
            % {"name": name, "nothing": NOTHING}
        )
    pa = facts.public_affairs
    if pa.interactions:
        text = _("Public affairs %(period)s: %(items)s.") % {
            "period": period_text(facts),
            "items": "; ".join(f"{i.subject}, {long_date(i.day)}" for i in pa.interactions),
        }
        if pa.themes:
            text += " " + _("Thema's: %(themes)s.") % {"themes": enumerate_nl(pa.themes)}
        paragraphs.append(text)
    else:
        paragraphs.append(
            _("Public affairs over of bij %(name)s %(period)s: %(nothing)s.")
            % {"name": name, "period": period_text(facts), "nothing": NOTHING}
        )
    if facts.knowledge:
        paragraphs.append(
            _("Kennis gedeeld %(period)s: %(items)s.")
            % {
                "period": period_text(facts),
                "items": "; ".join(f"{k.title}, {long_date(k.day)}" for k in facts.knowledge),
            }
        )
    else:
        paragraphs.append(
            _("Kennis gedeeld door of over %(name)s %(period)s: %(nothing)s.")
            % {"name": name, "period": period_text(facts), "nothing": NOTHING}
        )
    return tuple(paragraphs)


def finance_paragraphs(facts: MemoFacts, given: MemoInput) -> tuple[str, ...]:
    fin = facts.finance
    paragraphs = []
    if fin.fee is not None:
        paragraphs.append(
            _(
                "De jaarlijkse contributie is %(fee)s (contributieschema van het M50, geldig "
                "vanaf %(year)s)."
            )
            % {"fee": money(fin.fee), "year": fin.fee_from_year}
        )
    else:
        paragraphs.append(_("Contributieschema: %(nothing)s.") % {"nothing": NOTHING})
    if fin.owed_years:
        paragraphs.append(
            _("Contributie verschuldigd over: %(years)s.") % {"years": enumerate_nl(fin.owed_years)}
        )
    if fin.free_years:
        paragraphs.append(
            _(
                "Geen contributie verschuldigd over %(years)s: het aspirant-lidmaatschap is "
                "kosteloos."
            )
            % {"years": enumerate_nl(fin.free_years)}
        )
    if not fin.owed_years and not fin.free_years:
        paragraphs.append(_("Tot nu toe is geen contributie verschuldigd."))
    if fin.invoices:
        lines = "; ".join(
            _("%(kind)s %(number)s (%(year)s) van %(date)s: %(total)s")
            % {
                "kind": _("creditnota") if i.is_credit else _("factuur"),
                "number": i.number,
                "year": i.fee_year,
                "date": long_date(i.issue_date),
                "total": money(i.total),
            }
            for i in fin.invoices
        )
        paragraphs.append(
            _("Gefactureerd: %(total)s (%(lines)s). Betaald: %(paid)s.")
            % {"total": money(fin.invoiced), "lines": lines, "paid": money(fin.paid)}
        )
    else:
        paragraphs.append(_("Gefactureerd en betaald: %(nothing)s.") % {"nothing": NOTHING})
    if given.begrotingspost.strip():
        paragraphs.append(
            _("De contributie komt ten laste van begrotingspost %(line)s.")
            % {"line": given.begrotingspost.strip()}
        )
    else:
        paragraphs.append(_("De contributie wordt betaald uit de lopende begroting."))
    return tuple(paragraphs)


def memo_content(facts: MemoFacts, given: MemoInput) -> MemoContent:
    """The memo's text; raises :class:`MemoRefused` with everything missing, first."""
    missing = missing_inputs(facts, given)
    if missing:
        raise MemoRefused(missing)
    holder = given.portefeuillehouder.strip() or facts.portfolio_holder.name
    subject = given.onderwerp.strip() or _("Lidmaatschap van het M50 (%(name)s)") % {
        "name": facts.registry.name
    }
    fields = (
        (_("Onderwerp"), subject),
        (_("Datum"), long_date(given.datum)),
        (_("Portefeuillehouder"), holder),
        (_("Team"), given.team.strip()),
        (_("Steller"), given.steller.strip()),
    )
    history = _history(facts)
    decision = _college_decision(facts)
    summary = summary_paragraphs(facts)
    finance = finance_paragraphs(facts, given)
    sections = (
        Section(QUESTION_HISTORY, history),
        Section(QUESTION_DECISION, (decision,)),
        Section(_("Samenvatting"), summary),
        Section(_("Financieel"), finance),
    )
    values = {
        "titel": TITLE,
        "gemeente": facts.registry.name,
        "onderwerp": subject,
        "datum": long_date(given.datum),
        "portefeuillehouder": holder,
        "team": given.team.strip(),
        "steller": given.steller.strip(),
        "voorgeschiedenis": "\n".join(history),
        "collegebesluit": decision,
        "samenvatting": "\n".join(summary),
        "financieel": "\n".join(finance),
        "periode": period_text(facts),
    }
    content = MemoContent(TITLE, fields, sections, values)
    _assert_filled(content)
    return content


def _assert_filled(content: MemoContent) -> None:
    # A guard, not a check of input: every input was checked above, so an empty field here
    # is a programming error, and no memo with one may leave the platform.
    empty = [label for label, value in content.fields if not value.strip()]
    empty += [s.heading for s in content.sections if not any(p.strip() for p in s.paragraphs)]
    if empty:
        raise MemoRefused([_("lege velden: %(fields)s") % {"fields": ", ".join(empty)}])
