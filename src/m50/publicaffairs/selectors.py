"""Reads of public affairs' own records (issue 12), already scoped to the reader.

A contact's confidential note is for public affairs and the bureau (``rules``): for everyone
else the selectors leave the column out of the query (``defer``), so it reaches no page, list,
API or export; and the model does not load it afterwards either (``Interaction``).
Who may not read the records at all (a visitor) gets empty results.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from m50.core.versions import TWEEDE_KAMER, VersionedFigures
from m50.knowledge import selectors as knowledge
from m50.pillars import selectors as pillars
from m50.publicaffairs import rules
from m50.publicaffairs.models import (
    Committee,
    CommitteeMembership,
    ConsultationSeries,
    Decision,
    FollowUp,
    Fractie,
    Interaction,
    MemberOfParliament,
    Motion,
    MotionCoSubmitter,
    MotionOutcome,
    MotionSubmitter,
    PositionVersion,
    Stakeholder,
    ThemeDossier,
    Vote,
    WatchMatch,
)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


# --- Theme dossiers ---------------------------------------------------------------------------


def dossier_list(*, user) -> QuerySet[ThemeDossier]:
    """The dossiers in the themes' order, with their theme and committees."""
    if not rules.may_read(user):
        return ThemeDossier.objects.none()
    return (
        ThemeDossier.objects.select_related("theme")
        .prefetch_related("committees")
        .order_by("theme__position", "theme__name", "pk")
    )


def dossier_detail(*, user, theme) -> ThemeDossier:
    """The dossier of ``theme``; ``ThemeDossier.DoesNotExist`` if none or not for ``user``."""
    return dossier_list(user=user).get(theme=theme)


def dossier_by_slug(*, user, slug: str) -> ThemeDossier:
    """The dossier of the theme ``slug``; ``ThemeDossier.DoesNotExist`` if none or not for
    ``user``."""
    return dossier_list(user=user).get(theme__slug=slug)


def position_current(*, user, dossier: ThemeDossier) -> PositionVersion | None:
    """The latest version of the dossier's position."""
    if not rules.may_read(user):
        return None
    return (
        PositionVersion.objects.filter(dossier=dossier)
        .select_related("author")
        .order_by("-number")
        .first()
    )


def position_history(*, user, dossier: ThemeDossier) -> QuerySet[PositionVersion]:
    """Every version, newest first, with its author."""
    if not rules.may_read(user):
        return PositionVersion.objects.none()
    return PositionVersion.objects.filter(dossier=dossier).select_related("author")


def position_published(*, theme) -> PositionVersion | None:
    """The version of the theme's position marked for the public site (anyone may read it)."""
    return (
        PositionVersion.objects.filter(dossier__theme=theme, published=True)
        .select_related("dossier__theme")
        .first()
    )


def _motions() -> QuerySet[Motion]:
    return Motion.objects.select_related("committee", "network_outcome").prefetch_related(
        Prefetch(
            "co_submitters",
            queryset=MotionCoSubmitter.objects.select_related("organisation"),
        )
    )


def dossier_motions(*, user, dossier: ThemeDossier) -> QuerySet[Motion]:
    """The motions linked to the dossier's theme, newest first, with committee, outcome (for
    a VNG motion) and co-submitting organisations: three queries, whatever their number."""
    if not rules.may_read(user):
        return Motion.objects.none()
    return _motions().filter(theme_dossiers=dossier).order_by("-date", "-pk")


def theme_members(*, user, dossier: ThemeDossier) -> QuerySet[MemberOfParliament]:
    """The stakeholder map's Kamerleden of a theme: who submitted or co-signed one of its
    motions, with their fractie, ``motion_count`` (of the theme's) and ``last_contact`` (the
    latest interaction with them, derived). One query, whatever their number."""
    if not rules.may_read(user):
        return MemberOfParliament.objects.none()
    theirs = MotionSubmitter.objects.filter(member=OuterRef("pk"), motion__theme_dossiers=dossier)
    count = (
        theirs.order_by().values("member").annotate(n=Count("motion", distinct=True)).values("n")
    )
    return (
        MemberOfParliament.objects.filter(Exists(theirs))
        .select_related("fractie")
        .annotate(
            motion_count=Subquery(count, output_field=IntegerField()),
            last_contact=_last_contact(Q(members=OuterRef("pk"))),
        )
        .order_by("-motion_count", "surname", "pk")
    )


def theme_interactions(*, user, theme) -> QuerySet[Interaction]:
    return interaction_list(user=user, theme=theme)


def theme_knowledge_items(*, user, theme):
    """The knowledge items of the theme that ``user`` may read (the knowledge app decides)."""
    return knowledge.item_list(user=user, theme=theme)


def theme_topics(*, user, theme):
    """The pillars' topics with this theme."""
    if not rules.may_read(user):
        return pillars.topic_list().none()
    return pillars.topic_list(theme=theme)


# --- Interactions and follow-ups --------------------------------------------------------------


def _interactions(user) -> QuerySet[Interaction]:
    queryset = Interaction.objects.select_related(
        "municipality", "series", "activity"
    ).prefetch_related(
        "themes", "members__fractie", "fracties", "organisations", "network_people", "other_people"
    )
    if not rules.sees_confidential(user):
        # Not selected at all: the note cannot leak from a list, a page or an export.
        queryset = queryset.defer("confidential_note")
    return queryset


def interaction_list(
    *,
    user,
    theme=None,
    kind: str = "",
    member=None,
    fractie=None,
    organisation=None,
    municipality=None,
    series=None,
) -> QuerySet[Interaction]:
    """The contacts, newest first, with everything shown in a list (seven queries whatever
    their number); the confidential note only for who may see it."""
    if not rules.may_read(user):
        return Interaction.objects.none()
    queryset = _interactions(user)
    if theme is not None:
        queryset = queryset.filter(themes=theme)
    if kind:
        queryset = queryset.filter(kind=kind)
    if member is not None:
        queryset = queryset.filter(members=member)
    if fractie is not None:
        queryset = queryset.filter(Q(fracties=fractie) | Q(members__fractie=fractie)).distinct()
    if organisation is not None:
        queryset = queryset.filter(
            Q(organisations=organisation) | Q(series__counterpart=organisation)
        ).distinct()
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    if series is not None:
        queryset = queryset.filter(series=series)
    return queryset.order_by("-date", "-pk")


def interaction_detail(*, user, pk: int) -> Interaction:
    """The contact with its follow-ups; ``Interaction.DoesNotExist`` for who may not read."""
    return (
        interaction_list(user=user)
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")))
        .get(pk=pk)
    )


def note_visible(*, user) -> bool:
    """Whether pages and the API show ``user`` the confidential notes."""
    return rules.sees_confidential(user)


def open_follow_ups(*, user, owner=None, today: datetime.date | None = None):
    """Open follow-ups, soonest due first (those without a date last), each with ``overdue``
    (due before ``today``) and its interaction's date and subject. ``owner``: only theirs
    ("mijn acties": ``owner=user``)."""
    if not rules.may_read(user):
        return FollowUp.objects.none()
    queryset = (
        FollowUp.objects.filter(done_at__isnull=True)
        .select_related("owner")
        .select_related("interaction")
        .defer("interaction__confidential_note")
        .annotate(
            overdue=Case(
                When(due_date__lt=_today(today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    return queryset.order_by(F("due_date").asc(nulls_last=True), "pk")


def follow_up_detail(*, user, pk: int) -> FollowUp:
    """A follow-up (without its contact's note); ``FollowUp.DoesNotExist`` for who may not
    read."""
    if not rules.may_read(user):
        raise FollowUp.DoesNotExist
    return FollowUp.objects.select_related("owner").get(pk=pk)


def my_open_follow_ups(*, user, today: datetime.date | None = None):
    """*Mijn acties*: the user's own open follow-ups, overdue ones flagged."""
    return open_follow_ups(user=user, owner=user, today=today)


# --- Stakeholders -----------------------------------------------------------------------------


def _last_contact(condition: Q) -> Subquery:
    return Subquery(
        Interaction.objects.filter(condition).order_by("-date").values("date")[:1],
        output_field=DateField(),
    )


def stakeholder_list(*, user, owner=None) -> QuerySet[Stakeholder]:
    """The stakeholders with their party and owner, and ``last_contact``: the date of the
    latest interaction with them (derived, never stored). For a fractie, a contact with one of
    its members counts; for an organisation, a meeting of a consultation with it."""
    if not rules.may_read(user):
        return Stakeholder.objects.none()
    last_contact = Coalesce(
        _last_contact(
            Q(organisations=OuterRef("organisation"))
            | Q(series__counterpart=OuterRef("organisation"))
        ),
        _last_contact(Q(members=OuterRef("member"))),
        _last_contact(Q(fracties=OuterRef("fractie")) | Q(members__fractie=OuterRef("fractie"))),
    )
    queryset = Stakeholder.objects.select_related(
        "organisation", "member__fractie", "fractie", "owner"
    ).annotate(last_contact=last_contact)
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    return queryset.order_by("pk")


def stakeholder_detail(*, user, pk: int) -> Stakeholder:
    return stakeholder_list(user=user).get(pk=pk)


# --- Recurring consultations ------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class SeriesStatus:
    series: ConsultationSeries
    last_held: datetime.date | None
    next_due: datetime.date | None
    overdue: bool


def series_status_list(
    *, user, today: datetime.date | None = None, active_only: bool = True
) -> list[SeriesStatus]:
    """Each recurring consultation with the date it was last held (its latest interaction up
    to ``today``), the date the next one is due (last + cadence) and whether that has passed.
    One query. A series never held has no due date and is not flagged."""
    if not rules.may_read(user):
        return []
    day = _today(today)
    queryset = ConsultationSeries.objects.select_related("counterpart").annotate(
        last_held=Max("interactions__date", filter=Q(interactions__date__lte=day))
    )
    if active_only:
        queryset = queryset.filter(active=True)
    result = []
    for series in queryset.order_by("name", "pk"):
        next_due = add_months(series.last_held, series.cadence_months) if series.last_held else None
        result.append(
            SeriesStatus(
                series=series,
                last_held=series.last_held,
                next_due=next_due,
                overdue=next_due is not None and next_due < day,
            )
        )
    return result


# --- Watch list -------------------------------------------------------------------------------


def watch_list(
    *, user, dossier: ThemeDossier | None = None, status: str = WatchMatch.Status.OPEN
) -> QuerySet[WatchMatch]:
    """Matches to judge (or of ``status``), with their dossier's theme and the motion or
    activity and its committee: one query."""
    if not rules.may_read(user):
        return WatchMatch.objects.none()
    queryset = WatchMatch.objects.select_related(
        "dossier__theme", "motion__committee", "activity__committee"
    )
    if dossier is not None:
        queryset = queryset.filter(dossier=dossier)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("dossier__theme__position", "-found_at", "pk")


# --- The Tweede Kamer's records, for the API --------------------------------------------------


def member_list(
    *, user, fractie=None, committee=None, search: str = ""
) -> QuerySet[MemberOfParliament]:
    """Kamerleden by name, with fractie, municipality and current committee seats: three
    queries, whatever their number. Filtered by fractie, committee (a current seat) or a part
    of the name."""
    if not rules.may_read(user):
        return MemberOfParliament.objects.none()
    queryset = MemberOfParliament.objects.select_related(
        "fractie", "municipality"
    ).prefetch_related(
        Prefetch(
            "committee_memberships",
            queryset=CommitteeMembership.objects.filter(
                end__isnull=True, committee__isnull=False
            ).select_related("committee"),
            to_attr="current_committee_seats",
        )
    )
    if fractie is not None:
        queryset = queryset.filter(fractie=fractie)
    if committee is not None:
        queryset = queryset.filter(
            Exists(
                CommitteeMembership.objects.filter(
                    member=OuterRef("pk"), committee=committee, end__isnull=True
                )
            )
        )
    if search.strip():
        term = search.strip()
        queryset = queryset.filter(
            Q(display_name__icontains=term)
            | Q(surname__icontains=term)
            | Q(first_name__icontains=term)
        )
    return queryset.order_by("surname", "first_name", "pk")


def fractie_list(*, user, by_size: bool = False) -> QuerySet[Fractie]:
    """Fracties, active and inactive, with ``member_count`` (current members): by name, or
    with ``by_size`` the active ones first, largest first."""
    if not rules.may_read(user):
        return Fractie.objects.none()
    queryset = Fractie.objects.annotate(member_count=Count("members", distinct=True))
    if by_size:
        return queryset.order_by(F("active_to").desc(nulls_first=True), "-seats", "name", "pk")
    return queryset.order_by("name", "pk")


def committee_list(*, user, active_only: bool = False) -> QuerySet[Committee]:
    if not rules.may_read(user):
        return Committee.objects.none()
    queryset = Committee.objects.order_by("name", "pk")
    return queryset.filter(active_to__isnull=True) if active_only else queryset


# --- The Tweede Kamer's data, for the pages (issue 12) ----------------------------------------
#
# Synced from open data (CC0): every logged-in user of the network may read it; the selectors
# still ask ``rules.may_read`` so that the pages need no rule of their own.

VOTE_FOR = "Voor"
VOTE_AGAINST = "Tegen"


def motion_list(
    *,
    user,
    theme=None,
    fractie=None,
    result: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    source: str = "",
) -> QuerySet[Motion]:
    """Motions newest first, with committee, outcome, co-submitting organisations, submitters,
    decisions and themes: a fixed number of queries. ``fractie``: a submitter (or co-signer)
    sits in it now or signed on its behalf; ``result``: a decision's result (Tweede Kamer) or the
    recorded outcome (VNG), case folded."""
    if not rules.may_read(user):
        return Motion.objects.none()
    latest = Decision.objects.filter(motion=OuterRef("pk")).exclude(result="")
    queryset = (
        _motions()
        .annotate(
            # The result of the last decision, for a list's column.
            latest_result=Subquery(latest.order_by("-order", "-pk").values("result")[:1])
        )
        .prefetch_related(
            # Submitters before co-signers ("submitter" sorts after "co_signer").
            Prefetch(
                "submitters", queryset=MotionSubmitter.objects.order_by("-role", "name", "pk")
            ),
            Prefetch("decisions", queryset=Decision.objects.order_by("order", "pk")),
            Prefetch("theme_dossiers", queryset=ThemeDossier.objects.select_related("theme")),
        )
    )
    # Each filter an EXISTS on the motion's own id, never an OR across a join: the plan stays
    # an index probe per motion whatever the planner's statistics say.
    if theme is not None:
        queryset = queryset.filter(
            Exists(
                ThemeDossier.motions.through.objects.filter(
                    motion=OuterRef("pk"), themedossier__theme=theme
                )
            )
        )
    if fractie is not None:
        submitters = MotionSubmitter.objects.filter(motion=OuterRef("pk"))
        signed = Exists(submitters.filter(member__fractie=fractie))
        names = {name for name in (fractie.abbreviation, fractie.name) if name}
        if names:
            signed |= Exists(submitters.filter(fractie_name__in=names))
        queryset = queryset.filter(signed)
    if result:
        queryset = queryset.filter(
            Exists(Decision.objects.filter(motion=OuterRef("pk"), result__iexact=result))
            | Exists(MotionOutcome.objects.filter(motion=OuterRef("pk"), outcome__iexact=result))
        )
    if since is not None:
        queryset = queryset.filter(date__gte=since)
    if until is not None:
        queryset = queryset.filter(date__lte=until)
    if source:
        queryset = queryset.filter(source=source)
    return queryset.order_by(F("date").desc(nulls_last=True), "-pk")


def figures() -> VersionedFigures:
    """Counts over the synced records (750,000 votes and more), taken once per version of
    them: only the Tweede Kamer sync writes them, and it raises that version."""
    return VersionedFigures([TWEEDE_KAMER])


def vote_list(*, user, tk_decision=None, member=None, fractie=None) -> QuerySet[Vote]:
    """Votes with their decision, fractie and member: one query. ``tk_decision``: the Tweede
    Kamer's id of the decision, also of one that has not arrived yet."""
    if not rules.may_read(user):
        return Vote.objects.none()
    queryset = Vote.objects.select_related("decision", "fractie", "member")
    if tk_decision is not None:
        # The decision's pk first (a scalar subquery), not an OR across the join to it: each
        # side is then an index of the votes, where the join read all 750,000 of them.
        decision = Decision.objects.filter(tk_id=tk_decision).order_by().values("pk")[:1]
        queryset = queryset.filter(
            Q(decision=Subquery(decision)) | Q(decision__isnull=True, tk_decision_id=tk_decision)
        )
    if member is not None:
        queryset = queryset.filter(member=member)
    if fractie is not None:
        queryset = queryset.filter(fractie=fractie)
    return queryset.order_by("pk")


def dossier_list_with_links(*, user) -> QuerySet[ThemeDossier]:
    """The dossiers with their committees, the ids of their motions and their current
    position (number, text, date) annotated: three queries, whatever their number."""
    latest = PositionVersion.objects.filter(dossier=OuterRef("pk")).order_by("-number")
    return (
        dossier_list(user=user)
        .prefetch_related(Prefetch("motions", queryset=Motion.objects.only("pk").order_by("pk")))
        .annotate(
            position_number=Subquery(latest.values("number")[:1]),
            position_text=Subquery(latest.values("text")[:1]),
            position_created_at=Subquery(latest.values("created_at")[:1]),
        )
    )


def motion_results() -> list[str]:
    """The results the decisions name, for the filter (the Tweede Kamer's own words)."""
    from m50.publicaffairs.models import Decision

    return list(
        Decision.objects.exclude(result="")
        .order_by("result")
        .values_list("result", flat=True)
        .distinct()
    )


def motion_detail(*, user, pk: int) -> Motion:
    """A motion with its submitters, decisions and their votes (fracties and, in a roll call,
    members) and its themes: a fixed number of queries."""
    from m50.publicaffairs.models import Decision, Vote

    if not rules.may_read(user):
        raise Motion.DoesNotExist
    votes = Vote.objects.select_related("fractie", "member").order_by(
        "member_id", "actor_fractie", "actor_name", "pk"
    )
    return (
        _motions()
        .prefetch_related(
            Prefetch(
                "submitters",
                queryset=MotionSubmitter.objects.select_related("member__fractie").order_by(
                    "-role", "name", "pk"
                ),
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("votes", queryset=votes)
                ),
            ),
            Prefetch("theme_dossiers", queryset=ThemeDossier.objects.select_related("theme")),
        )
        .get(pk=pk)
    )


def _current_committee_seats():
    from m50.publicaffairs.models import CommitteeMembership

    return CommitteeMembership.objects.filter(
        end__isnull=True, committee__isnull=False
    ).select_related("committee")


def member_detail(*, user, pk: int) -> MemberOfParliament:
    """A Kamerlid with fractie, municipality and current committee seats."""
    if not rules.may_read(user):
        raise MemberOfParliament.DoesNotExist
    return (
        MemberOfParliament.objects.select_related("fractie", "municipality")
        .prefetch_related(Prefetch("committee_memberships", queryset=_current_committee_seats()))
        .get(pk=pk)
    )


def member_motions(*, user, member) -> QuerySet[MotionSubmitter]:
    """The motions ``member`` submitted or co-signed, newest first."""
    if not rules.may_read(user):
        return MotionSubmitter.objects.none()
    return (
        MotionSubmitter.objects.filter(member=member, motion__isnull=False)
        .select_related("motion")
        .order_by(F("motion__date").desc(nulls_last=True), "-pk")
    )


def fractie_detail(*, user, pk: int):
    from m50.publicaffairs.models import Fractie

    if not rules.may_read(user):
        raise Fractie.DoesNotExist
    return Fractie.objects.get(pk=pk)


def theme_member_map(*, user, dossier: ThemeDossier):
    """The stakeholder map of a theme: ``theme_members`` with, per member, their current
    committees (``seats``), how their fractie voted on the theme's motions (``fractie_for``,
    ``fractie_against``), how they voted themselves in roll calls (``own_for``,
    ``own_against``) and ``last_contact_id``. Four queries, whatever the number of motions."""
    from m50.publicaffairs.models import Vote

    theme_votes = Vote.objects.filter(decision__motion__theme_dossiers=dossier)

    def count(condition: Q, by: str, kind: str) -> Subquery:
        # Grouped by the column the condition fixes: one group, its count.
        return Subquery(
            theme_votes.filter(condition, kind__iexact=kind)
            .order_by()
            .values(by)
            .annotate(n=Count("pk", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        )

    fractie_vote = Q(fractie=OuterRef("fractie"), member__isnull=True, tk_member_id__isnull=True)
    own_vote = Q(member=OuterRef("pk"))
    latest = Interaction.objects.filter(members=OuterRef("pk")).order_by("-date", "-pk")
    return (
        theme_members(user=user, dossier=dossier)
        .annotate(
            fractie_for=count(fractie_vote, "fractie", VOTE_FOR),
            fractie_against=count(fractie_vote, "fractie", VOTE_AGAINST),
            own_for=count(own_vote, "member", VOTE_FOR),
            own_against=count(own_vote, "member", VOTE_AGAINST),
            last_contact_id=Subquery(latest.values("pk")[:1]),
        )
        .prefetch_related(Prefetch("committee_memberships", queryset=_current_committee_seats()))
    )


def municipality_members(*, user, municipality) -> QuerySet[MemberOfParliament]:
    """The Kamerleden who live in ``municipality`` (to plan work visits)."""
    if not rules.may_read(user):
        return MemberOfParliament.objects.none()
    return MemberOfParliament.objects.filter(municipality=municipality).select_related("fractie")


# Choices for the forms of public affairs (who writes picks from these).


def person_choices():
    from m50.contacts.models import Person

    return Person.objects.order_by("surname", "given_name", "pk")


def organisation_choices():
    from m50.contacts.models import Organisation

    return Organisation.objects.order_by("name", "pk")


def municipality_choices():
    from m50.municipalities.models import Municipality

    return Municipality.objects.order_by("name", "pk")


def member_choices():
    return MemberOfParliament.objects.select_related("fractie").order_by(
        "surname", "first_name", "pk"
    )


def themes_without_dossier():
    """The active themes of the shared list that have no dossier yet."""
    return theme_choices().filter(dossier__isnull=True)


def theme_choices():
    from m50.core.models import Theme

    return Theme.objects.filter(active=True).order_by("position", "name")


def follow_up_owner_choices():
    """Who may own a follow-up: active users of the network (the service checks the role)."""
    from m50.accounts.models import User

    return User.objects.filter(is_active=True).order_by("username", "pk")


# --- Counts over time (the bureau's dashboard, the network's year) ---------------------------


@dataclass(frozen=True)
class MonthCount:
    year: int
    month: int
    count: int


def interactions_per_month(*, since: datetime.date) -> list[MonthCount]:
    """Contacts per calendar month from ``since``, oldest first (months without any are not
    in it). One query; counts only, so no note is read."""
    rows = (
        Interaction.objects.filter(date__gte=since)
        .annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
        .values("year", "month")
        .annotate(count=Count("pk"))
        .order_by("year", "month")
    )
    return [MonthCount(r["year"], r["month"], r["count"]) for r in rows]


def followed_motions_q() -> Q:
    """Motions the network follows: linked to one of its theme dossiers, recorded by hand (the
    VNG's), submitted together with an organisation, or with an outcome the network recorded.
    Each an EXISTS on the motion's own id."""
    return (
        Q(source=Motion.Source.VNG)
        | Q(
            Exists(ThemeDossier.motions.through.objects.filter(motion=OuterRef("pk"))),
        )
        | Q(Exists(MotionCoSubmitter.objects.filter(motion=OuterRef("pk"))))
        | Q(Exists(MotionOutcome.objects.filter(motion=OuterRef("pk"))))
    )


def _adopted() -> Exists:
    adopted = "aangenomen"
    return Exists(Decision.objects.filter(motion=OuterRef("pk"), result__iexact=adopted)) | Exists(
        MotionOutcome.objects.filter(motion=OuterRef("pk"), outcome=adopted)
    )


@dataclass(frozen=True)
class MotionYear:
    year: int
    followed: int
    adopted: int


def followed_motions_per_year(
    *, since_year: int, until_year: int | None = None
) -> list[MotionYear]:
    """Per year of the motion's date: the motions followed, and how many of them were adopted
    (by the Tweede Kamer's decision or the recorded outcome). One query."""
    motions = Motion.objects.filter(followed_motions_q(), date__year__gte=since_year)
    if until_year is not None:
        motions = motions.filter(date__year__lte=until_year)
    rows = (
        motions.annotate(year=ExtractYear("date"), is_adopted=_adopted())
        .values("year")
        .annotate(
            followed=Count("pk"),
            adopted=Count("pk", filter=Q(is_adopted=True)),
        )
        .order_by("year")
    )
    return [MotionYear(r["year"], r["followed"], r["adopted"]) for r in rows]


@dataclass(frozen=True)
class InteractionYear:
    by_kind: list[tuple[str, str, int]]  # (kind, label, count)
    themes: list[tuple[str, int]]  # (theme name, contacts), most first
    work_visit_municipalities: int

    @property
    def total(self) -> int:
        return sum(count for _kind, _label, count in self.by_kind)


def interactions_in_year(*, year: int) -> InteractionYear:
    """The contacts of ``year`` per kind, the themes they were about (most first), and the
    municipalities visited on work visits: three queries."""
    labels = dict(Interaction.Kind.choices)
    contacts = Interaction.objects.filter(date__year=year)
    by_kind = [
        (row["kind"], str(labels.get(row["kind"], row["kind"])), row["count"])
        for row in contacts.values("kind").annotate(count=Count("pk")).order_by("kind")
    ]
    themes = [
        (row["themes__name"], row["count"])
        for row in contacts.filter(themes__isnull=False)
        .values("themes__name")
        .annotate(count=Count("pk", distinct=True))
        .order_by("-count", "themes__name")
    ]
    visited = (
        contacts.filter(kind=Interaction.Kind.WORK_VISIT, municipality__isnull=False)
        .values("municipality_id")
        .distinct()
        .count()
    )
    return InteractionYear(by_kind, themes, visited)


def interactions_with_municipality(
    *, municipality_id: int, start: datetime.date, end: datetime.date
) -> QuerySet[Interaction]:
    """Public-affairs contacts about or at the municipality (work visits among them) in
    ``start``..``end``, with their themes, oldest first; never the confidential note (these
    reach the municipality's own memo). Two queries."""
    return (
        Interaction.objects.filter(municipality_id=municipality_id, date__gte=start, date__lte=end)
        .only("pk", "kind", "date", "subject")
        .prefetch_related("themes")
        .order_by("date", "pk")
    )


# --- Published positions, for the public site --------------------------------------------------


def published_positions() -> QuerySet[PositionVersion]:
    """The positions on the public site (anyone may read them): the published version of each
    active theme's dossier, in the themes' order, with its dossier and theme. One query."""
    return (
        PositionVersion.objects.filter(published=True, dossier__theme__active=True)
        .select_related("dossier__theme")
        .order_by("dossier__theme__position", "dossier__theme__name", "pk")
    )


def published_position_by_slug(*, slug: str) -> PositionVersion:
    """The published position of the theme ``slug``; ``PositionVersion.DoesNotExist`` when
    the theme has none."""
    return published_positions().get(dossier__theme__slug=slug)


# --- Stakeholder relations page ---------------------------------------------------------------

STAKEHOLDER_MEMBER = "kamerlid"
STAKEHOLDER_FRACTIE = "fractie"


def stakeholder_kind_choices() -> list[tuple[str, str]]:
    """The kinds the stakeholder list filters by: Kamerleden, fracties and each kind of
    organisation (ministries, partner networks, knowledge partners, ...)."""
    from django.utils.translation import gettext_lazy as _

    from m50.contacts.models import Organisation

    return [
        (STAKEHOLDER_MEMBER, _("Kamerlid")),
        (STAKEHOLDER_FRACTIE, _("fractie")),
        *[(value, label) for value, label in Organisation.Kind.choices if value != "municipality"],
    ]


def stakeholder_overview(*, user, kind: str = "", owner=None) -> QuerySet[Stakeholder]:
    """``stakeholder_list`` by name, filtered by ``kind`` (``stakeholder_kind_choices``) and
    ``owner``: one query, whatever their number."""
    queryset = stakeholder_list(user=user, owner=owner)
    if kind == STAKEHOLDER_MEMBER:
        queryset = queryset.filter(member__isnull=False)
    elif kind == STAKEHOLDER_FRACTIE:
        queryset = queryset.filter(fractie__isnull=False)
    elif kind:
        queryset = queryset.filter(organisation__kind=kind)
    return queryset.order_by(
        Coalesce("organisation__name", "member__surname", "fractie__name"), "pk"
    )


def stakeholder_owner_choices():
    """Who may own a relation: active users (the service checks the role)."""
    return follow_up_owner_choices()


def stakeholder_owner_filter_choices():
    """The owners a list of relations can be filtered on: those who own one. Every role reads
    the list; the names of all the platform's users are not for every role."""
    from m50.accounts.models import User

    return User.objects.filter(
        is_active=True, pk__in=Stakeholder.objects.values("owner_id")
    ).order_by("username", "pk")


def stakeholder_organisation_choices():
    """The organisations a relation may be with: all but the member municipalities."""
    return organisation_choices().exclude(kind="municipality")


def fractie_choices():
    return Fractie.objects.order_by("name", "pk")


# --- Kamerleden near a municipality -----------------------------------------------------------


def municipality_members_in_province(*, user, municipality) -> QuerySet[MemberOfParliament]:
    """The Kamerleden who live in the province of ``municipality`` (there and nearby), by
    their municipality and name. As ``municipality_members``, from the municipality the sync
    matched to their place of residence (the Tweede Kamer gives only that); one query, which
    a page splits into those living there and the rest."""
    if not rules.may_read(user):
        return MemberOfParliament.objects.none()
    return (
        MemberOfParliament.objects.filter(municipality__province_id=municipality.province_id)
        .select_related("fractie", "municipality")
        .order_by("municipality__name", "surname", "first_name", "pk")
    )
