"""The public affairs pages (issue 12): the lobbyist's start page, theme dossiers with their
stakeholder map, motions with their votes, Kamerleden and fracties, contacts and follow-ups.

Reads come from ``selectors`` (scoped to the reader: a contact's confidential note is not in
the query for who may not see it), writes go through ``records`` (which enforce the rules);
the views only choose what to show and which buttons, by ``rules``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from m50.core.access import rule_required
from m50.publicaffairs import records, rules, selectors
from m50.publicaffairs.charts import vote_chart, vote_kind_class
from m50.publicaffairs.forms import (
    DossierCreateForm,
    DossierForm,
    FollowUpForm,
    InteractionFilterForm,
    InteractionForm,
    MemberFilterForm,
    MotionFilterForm,
    PositionForm,
    StakeholderCreateForm,
    StakeholderFilterForm,
    StakeholderForm,
    VngMotionForm,
    add_service_errors,
)
from m50.publicaffairs.models import (
    FollowUp,
    Fractie,
    Interaction,
    MemberOfParliament,
    Motion,
    PositionVersion,
    Stakeholder,
    ThemeDossier,
    WatchMatch,
)

READ = "publicaffairs.view_records"
WRITE = "publicaffairs.manage_records"
PUBLISHED = "publicaffairs.view_published"
PAGE_SIZE = 25
PAGE_PARAMETER = "pagina"
# The start page and a dossier show the latest few; the lists have the rest.
RECENT = 10
DOSSIER_MOTIONS = 25


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAMETER))
    return page, page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


def _form_page(
    request,
    form,
    *,
    write,
    done: str,
    next_url,
    title: str,
    button: str,
    back: tuple,
    error_status: int = 400,
):
    """The one shape of a form page: on a valid POST ``write(cleaned_data)`` (a service),
    then ``done`` as message and a redirect to ``next_url(result)``; a service's refusal is
    shown at its fields. Otherwise the form (again), with ``error_status`` when it has
    errors."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(next_url(result))
    return render(
        request,
        "publicaffairs/form.html",
        {"form": form, "title": title, "button": button, "back": back},
        status=error_status if form.errors else 200,
    )


# --- Start page -------------------------------------------------------------------------------


@rule_required(READ)
def overview(request):
    user = request.user
    return render(
        request,
        "publicaffairs/overview.html",
        {
            "can_write": rules.may_write(user),
            "matches": list(selectors.watch_list(user=user)[:50]),
            "my_actions": list(selectors.my_open_follow_ups(user=user)[:RECENT]),
            "overdue_series": [
                status for status in selectors.series_status_list(user=user) if status.overdue
            ],
            "recent": list(selectors.interaction_list(user=user)[:RECENT]),
            "dossiers": list(selectors.dossier_list(user=user)),
        },
    )


def _match(request, match_id: int) -> WatchMatch:
    return get_object_or_404(selectors.watch_list(user=request.user, status=""), pk=match_id)


@require_POST
@rule_required(WRITE)
def match_accept(request, match_id: int):
    match = _match(request, match_id)
    try:
        records.watch_match_accept(actor=request.user, match=match)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De signalering is geaccepteerd en aan het thema gekoppeld."))
    return redirect("publicaffairs:overview")


@require_POST
@rule_required(WRITE)
def match_dismiss(request, match_id: int):
    match = _match(request, match_id)
    try:
        records.watch_match_dismiss(actor=request.user, match=match)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De signalering is afgewezen."))
    return redirect("publicaffairs:overview")


# --- Theme dossiers ---------------------------------------------------------------------------


def _dossier(request, theme: str) -> ThemeDossier:
    try:
        return selectors.dossier_by_slug(user=request.user, slug=theme)
    except ThemeDossier.DoesNotExist as exc:
        raise Http404 from exc


@rule_required(READ)
def dossier(request, theme: str):
    user = request.user
    dossier = _dossier(request, theme)
    can_write = rules.may_write(user)
    motions = selectors.motion_list(user=user, theme=dossier.theme)
    return render(
        request,
        "publicaffairs/dossier.html",
        {
            "dossier": dossier,
            "theme": dossier.theme,
            "can_write": can_write,
            "position": selectors.position_current(user=user, dossier=dossier),
            "published": selectors.position_published(theme=dossier.theme),
            "history": list(selectors.position_history(user=user, dossier=dossier))
            if can_write
            else [],
            "motions": list(motions[:DOSSIER_MOTIONS]),
            "motion_total": motions.count(),
            "stakeholders": list(selectors.theme_member_map(user=user, dossier=dossier)),
            "contacts": list(selectors.theme_interactions(user=user, theme=dossier.theme)[:RECENT]),
            "note_visible": selectors.note_visible(user=user),
            "knowledge": list(
                selectors.theme_knowledge_items(user=user, theme=dossier.theme)[:RECENT]
            ),
            "topics": list(selectors.theme_topics(user=user, theme=dossier.theme)),
        },
    )


@rule_required(WRITE)
def dossier_create(request):
    form = DossierCreateForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        write=lambda data: records.dossier_create(actor=request.user, **data),
        done=_("Het themadossier is gestart."),
        next_url=lambda dossier: reverse("publicaffairs:dossier", args=[dossier.theme.slug]),
        title=_("Themadossier starten"),
        button=_("Dossier starten"),
        back=("publicaffairs:overview", None),
    )


@rule_required(WRITE)
def dossier_edit(request, theme: str):
    dossier = _dossier(request, theme)
    initial = {
        "goals": dossier.goals,
        "goals_public": dossier.goals_public,
        "watch_terms": "\n".join(dossier.watch_terms),
        "committees": list(dossier.committees.all()),
    }
    form = DossierForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request,
        form,
        write=lambda data: records.dossier_update(actor=request.user, dossier=dossier, **data),
        done=_("Het dossier is bijgewerkt."),
        next_url=lambda _result: reverse("publicaffairs:dossier", args=[dossier.theme.slug]),
        title=_("Dossier %(theme)s wijzigen") % {"theme": dossier.theme.name},
        button=_("Opslaan"),
        back=("publicaffairs:dossier", dossier.theme.slug),
        error_status=200,
    )


@rule_required(WRITE)
def position_add(request, theme: str):
    dossier = _dossier(request, theme)
    current = selectors.position_current(user=request.user, dossier=dossier)
    form = PositionForm(request.POST or None, initial={"text": current.text if current else ""})
    return _form_page(
        request,
        form,
        write=lambda data: records.position_add(actor=request.user, dossier=dossier, **data),
        done=_("De nieuwe versie van het standpunt is vastgelegd."),
        next_url=lambda _result: reverse("publicaffairs:dossier", args=[dossier.theme.slug]),
        title=_("Standpunt over %(theme)s") % {"theme": dossier.theme.name},
        button=_("Nieuwe versie vastleggen"),
        back=("publicaffairs:dossier", dossier.theme.slug),
        error_status=200,
    )


@require_POST
@rule_required(WRITE)
def position_publish(request, theme: str, version_id: int):
    dossier = _dossier(request, theme)
    version = get_object_or_404(
        selectors.position_history(user=request.user, dossier=dossier), pk=version_id
    )
    try:
        records.position_publish(actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Versie %(number)s staat op de openbare site.") % {"number": version.number},
        )
    return redirect("publicaffairs:dossier", theme=dossier.theme.slug)


@require_POST
@rule_required(WRITE)
def position_unpublish(request, theme: str):
    dossier = _dossier(request, theme)
    try:
        records.position_unpublish(actor=request.user, dossier=dossier)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Het standpunt staat niet meer op de openbare site."))
    return redirect("publicaffairs:dossier", theme=dossier.theme.slug)


# --- Stakeholders ----------------------------------------------------------------------------


@rule_required(READ)
def stakeholder_list(request):
    user = request.user
    form = StakeholderFilterForm(request.GET)
    form.is_valid()  # Errors are shown; the valid filters still apply.
    page, page_range = _page(request, selectors.stakeholder_overview(user=user, **form.filters()))
    return render(
        request,
        "publicaffairs/stakeholder_list.html",
        {
            "form": form,
            "page": page,
            "page_range": page_range,
            "can_write": rules.may_write(user),
        },
    )


@rule_required(WRITE)
def stakeholder_create(request):
    form = StakeholderCreateForm(request.POST or None)
    return _form_page(
        request,
        form,
        write=lambda data: records.stakeholder_create(actor=request.user, **data),
        done=_("De relatie is vastgelegd."),
        next_url=lambda _result: reverse("publicaffairs:stakeholder_list"),
        title=_("Relatie vastleggen"),
        button=_("Vastleggen"),
        back=("publicaffairs:stakeholder_list", None),
    )


@rule_required(WRITE)
def stakeholder_edit(request, stakeholder_id: int):
    try:
        stakeholder = selectors.stakeholder_detail(user=request.user, pk=stakeholder_id)
    except Stakeholder.DoesNotExist as exc:
        raise Http404 from exc
    initial = {
        "owner": stakeholder.owner,
        "next_step": stakeholder.next_step,
        "next_step_date": stakeholder.next_step_date,
    }
    form = StakeholderForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        write=lambda data: records.stakeholder_update(
            actor=request.user, stakeholder=stakeholder, **data
        ),
        done=_("De relatie is bijgewerkt."),
        next_url=lambda _result: reverse("publicaffairs:stakeholder_list"),
        title=_("Relatie met %(name)s wijzigen") % {"name": stakeholder},
        button=_("Opslaan"),
        back=("publicaffairs:stakeholder_list", None),
    )


# --- Published positions: the public site -----------------------------------------------------


@rule_required(PUBLISHED)
def published_position_list(request):
    return render(
        request,
        "publicaffairs/published_position_list.html",
        {"positions": list(selectors.published_positions())},
    )


@rule_required(PUBLISHED)
def published_position_detail(request, theme: str):
    try:
        position = selectors.published_position_by_slug(slug=theme)
    except PositionVersion.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "publicaffairs/published_position_detail.html",
        {"position": position, "dossier": position.dossier, "theme": position.dossier.theme},
    )


# --- Motions ----------------------------------------------------------------------------------


@rule_required(READ)
def motion_list(request):
    user = request.user
    form = MotionFilterForm(request.GET, results=selectors.motion_results())
    form.is_valid()  # Errors are shown; the valid filters still apply.
    page, page_range = _page(request, selectors.motion_list(user=user, **form.filters()))
    return render(
        request,
        "publicaffairs/motion_list.html",
        {
            "form": form,
            "page": page,
            "page_range": page_range,
            "can_write": rules.may_write(user),
        },
    )


def _vng_motion_url(motion) -> str:
    return reverse("publicaffairs:motion_detail", args=[motion.pk])


@rule_required(WRITE)
def vng_motion_create(request):
    form = VngMotionForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        write=lambda data: records.vng_motion_create(actor=request.user, **data),
        done=_("De motie van de VNG is vastgelegd."),
        next_url=_vng_motion_url,
        title=_("Motie of resolutie van de VNG invoeren"),
        button=_("Vastleggen"),
        back=("publicaffairs:motion_list", None),
    )


@rule_required(WRITE)
def vng_motion_edit(request, motion_id: int):
    try:
        motion = selectors.motion_detail(user=request.user, pk=motion_id)
    except Motion.DoesNotExist as exc:
        raise Http404 from exc
    if motion.source != Motion.Source.VNG:
        # A Tweede Kamer motion is the sync's, read-only here.
        raise Http404
    outcome = getattr(motion, "network_outcome", None)
    initial = {
        "kind": motion.kind,
        "number": motion.number,
        "title": motion.title,
        "date": motion.date,
        "subject": motion.subject,
        "dossiers": list(motion.theme_dossiers.all()),
        "co_submitters": [link.organisation for link in motion.co_submitters.all()],
        "outcome": outcome.outcome if outcome else "",
        "decided_on": outcome.decided_on if outcome else None,
    }
    form = VngMotionForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request,
        form,
        write=lambda data: records.vng_motion_update(actor=request.user, motion=motion, **data),
        done=_("De motie van de VNG is bijgewerkt."),
        next_url=_vng_motion_url,
        title=_("Motie %(name)s wijzigen") % {"name": motion},
        button=_("Opslaan"),
        back=("publicaffairs:motion_detail", motion.pk),
    )


def _vote_rows(decision):
    """The votes of a decision: by fractie (with seats) and, in a roll call, by member."""
    fracties, members = [], []
    for vote in decision.votes.all():
        row = {
            "vote": vote,
            "name": str(vote.member or vote.actor_name)
            if vote.is_roll_call
            else vote.actor_name or str(vote.fractie or ""),
            "fractie": vote.actor_fractie or str(vote.fractie or ""),
            "css": vote_kind_class(vote.kind),
        }
        (members if vote.is_roll_call else fracties).append(row)
    fracties.sort(key=lambda row: (-(row["vote"].fractie_size or 0), row["name"]))
    seats_for = sum(
        r["vote"].fractie_size or 0 for r in fracties if r["vote"].kind.lower() == "voor"
    )
    seats_against = sum(
        r["vote"].fractie_size or 0 for r in fracties if r["vote"].kind.lower() == "tegen"
    )
    chart = vote_chart((r["name"], r["vote"].kind, r["vote"].fractie_size) for r in fracties)
    return {
        "decision": decision,
        "fracties": fracties,
        "members": members,
        "chart": chart,
        "seats_for": seats_for,
        "seats_against": seats_against,
        "members_for": sum(1 for r in members if r["vote"].kind.lower() == "voor"),
        "members_against": sum(1 for r in members if r["vote"].kind.lower() == "tegen"),
    }


@rule_required(READ)
def motion_detail(request, motion_id: int):
    try:
        motion = selectors.motion_detail(user=request.user, pk=motion_id)
    except Motion.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "publicaffairs/motion_detail.html",
        {
            "motion": motion,
            "decisions": [_vote_rows(decision) for decision in motion.decisions.all()],
            "themes": [dossier.theme for dossier in motion.theme_dossiers.all()],
            "outcome": getattr(motion, "network_outcome", None),
            "can_edit": motion.source == Motion.Source.VNG and rules.may_write(request.user),
        },
    )


# --- Kamerleden and fracties ------------------------------------------------------------------


@rule_required(READ)
def member_list(request):
    user = request.user
    form = MemberFilterForm(request.GET, user=user)
    form.is_valid()
    page, page_range = _page(request, selectors.member_list(user=user, **form.filters()))
    return render(
        request,
        "publicaffairs/member_list.html",
        {"form": form, "page": page, "page_range": page_range},
    )


@rule_required(READ)
def member_detail(request, member_id: int):
    user = request.user
    try:
        member = selectors.member_detail(user=user, pk=member_id)
    except MemberOfParliament.DoesNotExist as exc:
        raise Http404 from exc
    motions, motions_range = _page(request, selectors.member_motions(user=user, member=member))
    return render(
        request,
        "publicaffairs/member_detail.html",
        {
            "member": member,
            "seats": list(member.committee_memberships.all()),
            "page": motions,
            "page_range": motions_range,
            "contacts": list(selectors.interaction_list(user=user, member=member)[:RECENT]),
        },
    )


@rule_required(READ)
def fractie_list(request):
    return render(
        request,
        "publicaffairs/fractie_list.html",
        {"fracties": list(selectors.fractie_list(user=request.user, by_size=True))},
    )


@rule_required(READ)
def fractie_detail(request, fractie_id: int):
    user = request.user
    try:
        fractie = selectors.fractie_detail(user=user, pk=fractie_id)
    except Fractie.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "publicaffairs/fractie_detail.html",
        {
            "fractie": fractie,
            "members": list(selectors.member_list(user=user, fractie=fractie)),
            "contacts": list(selectors.interaction_list(user=user, fractie=fractie)[:RECENT]),
        },
    )


# --- Contacts and follow-ups ------------------------------------------------------------------


@rule_required(READ)
def interaction_list(request):
    user = request.user
    form = InteractionFilterForm(request.GET)
    form.is_valid()
    page, page_range = _page(request, selectors.interaction_list(user=user, **form.filters()))
    return render(
        request,
        "publicaffairs/interaction_list.html",
        {
            "form": form,
            "page": page,
            "page_range": page_range,
            "can_write": rules.may_write(user),
        },
    )


def _interaction(request, interaction_id: int) -> Interaction:
    try:
        return selectors.interaction_detail(user=request.user, pk=interaction_id)
    except Interaction.DoesNotExist as exc:
        raise Http404 from exc


def _interaction_page(request, interaction, follow_up_form=None):
    user = request.user
    can_write = rules.may_write(user)
    follow_ups = [
        {"follow_up": f, "may_complete": not f.done_at and rules.may_complete_follow_up(user, f)}
        for f in interaction.follow_ups.all()
    ]
    return render(
        request,
        "publicaffairs/interaction_detail.html",
        {
            "interaction": interaction,
            "note_visible": selectors.note_visible(user=user),
            "can_write": can_write,
            "follow_ups": follow_ups,
            "follow_up_form": follow_up_form or (FollowUpForm() if can_write else None),
        },
        status=400 if follow_up_form is not None and follow_up_form.errors else 200,
    )


@rule_required(READ)
def interaction_detail(request, interaction_id: int):
    return _interaction_page(request, _interaction(request, interaction_id))


@rule_required(WRITE)
def interaction_create(request):
    form = InteractionForm(request.POST or None)
    return _form_page(
        request,
        form,
        write=lambda data: records.interaction_create(actor=request.user, **data),
        done=_("Het contactmoment is vastgelegd."),
        next_url=_interaction_url,
        title=_("Contactmoment vastleggen"),
        button=_("Vastleggen"),
        back=("publicaffairs:interaction_list", None),
    )


def _interaction_url(interaction) -> str:
    return reverse("publicaffairs:interaction_detail", args=[interaction.pk])


@rule_required(WRITE)
def interaction_edit(request, interaction_id: int):
    user = request.user
    interaction = _interaction(request, interaction_id)
    initial = {
        "kind": interaction.kind,
        "date": interaction.date,
        "subject": interaction.subject,
        "network_people": list(interaction.network_people.all()),
        "members": list(interaction.members.all()),
        "organisations": list(interaction.organisations.all()),
        "themes": list(interaction.themes.all()),
        "municipality": interaction.municipality,
        "outcome": interaction.outcome,
        "confidential_note": interaction.confidential_note,
    }
    form = InteractionForm(request.POST or None, initial=initial)
    if not rules.sees_confidential(user):
        # Neither shown nor changed by who may not see it.
        del form.fields["confidential_note"]
    return _form_page(
        request,
        form,
        write=lambda data: records.interaction_update(actor=user, interaction=interaction, **data),
        done=_("Het contactmoment is bijgewerkt."),
        next_url=_interaction_url,
        title=_("Contactmoment %(subject)s wijzigen") % {"subject": interaction.subject},
        button=_("Opslaan"),
        back=("publicaffairs:interaction_detail", interaction.pk),
    )


@rule_required(WRITE)
def follow_up_create(request, interaction_id: int):
    interaction = _interaction(request, interaction_id)
    if request.method != "POST":
        return redirect("publicaffairs:interaction_detail", interaction_id=interaction.pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            records.follow_up_create(
                actor=request.user, interaction=interaction, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De vervolgactie is toegevoegd."))
            return redirect("publicaffairs:interaction_detail", interaction_id=interaction.pk)
    return _interaction_page(request, interaction, follow_up_form=form)


@require_POST
@rule_required(READ)
def follow_up_complete(request, follow_up_id: int):
    try:
        follow_up = selectors.follow_up_detail(user=request.user, pk=follow_up_id)
    except FollowUp.DoesNotExist as exc:
        raise Http404 from exc
    try:
        records.follow_up_complete(actor=request.user, follow_up=follow_up)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De vervolgactie is afgerond."))
    if request.POST.get("terug") == "mijn-acties":
        return redirect("publicaffairs:my_actions")
    return redirect("publicaffairs:interaction_detail", interaction_id=follow_up.interaction_id)


@require_POST
@rule_required(WRITE)
def follow_up_delete(request, follow_up_id: int):
    try:
        follow_up = selectors.follow_up_detail(user=request.user, pk=follow_up_id)
    except FollowUp.DoesNotExist as exc:
        raise Http404 from exc
    try:
        records.follow_up_delete(actor=request.user, follow_up=follow_up)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De vervolgactie is verwijderd."))
    return redirect("publicaffairs:interaction_detail", interaction_id=follow_up.interaction_id)


@rule_required(READ)
def my_actions(request):
    return render(
        request,
        "publicaffairs/my_actions.html",
        {"actions": list(selectors.my_open_follow_ups(user=request.user))},
    )


def municipality_public_affairs_context(request, municipality) -> dict:
    """For a municipality's page: the Kamerleden who live there or elsewhere in its province
    (to plan work visits) and the contacts held there, for who may read public affairs'
    records. Two queries plus the contacts' links; nothing for a visitor (whose page is
    cached)."""
    user = request.user
    if not rules.may_read(user):
        return {"municipality_public_affairs": None}
    # One query for those living there and nearby (elsewhere in the province).
    province = list(
        selectors.municipality_members_in_province(user=user, municipality=municipality)
    )
    return {
        "municipality_public_affairs": {
            "municipality": municipality,
            "members": [m for m in province if m.municipality_id == municipality.pk],
            "nearby": [m for m in province if m.municipality_id != municipality.pk],
            "contacts": list(
                selectors.interaction_list(user=user, municipality=municipality)[:RECENT]
            ),
        }
    }
