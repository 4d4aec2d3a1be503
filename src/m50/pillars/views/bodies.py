"""The pillars list and the page of a pillar or theme group, with the forms on it: the
chair's (description, topics' status, requests to join), a participant's (propose a topic)
and an official's (ask to join)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from m50.accounts.permissions import has_rule
from m50.activities.views import body_activities_context
from m50.contacts import selectors as contacts
from m50.core.access import rule_required
from m50.knowledge.views.library import items_section_context
from m50.pillars import rules, selectors, services
from m50.pillars.forms import (
    BodyEditForm,
    JoinForm,
    RequestHandleForm,
    TopicProposeForm,
    TopicStatusForm,
    body_label,
)
from m50.pillars.models import (
    Category,
    ParticipationRequest,
    Topic,
    TopicStatus,
)
from m50.pillars.views import topics
from m50.pillars.views._common import (
    ACTION_LABELS,
    ORIGIN,
    STATUS_HEADINGS,
    _body,
    _chair_key,
    _end_text,
    _is_pillar,
    _require,
    body_url,
)

# --- The list ---------------------------------------------------------------------------------


@rule_required("pillars.view")
def pillar_list(request):
    today = timezone.localdate()
    generations = selectors.pillar_generations(on=today)
    groups = list(selectors.theme_group_list())
    bodies = [*generations.current, *generations.ended, *groups]
    chairs = selectors.chairs_of(bodies=bodies, on=today)
    groups_of: dict[int | None, list] = {}
    for group in groups:
        groups_of.setdefault(group.pillar_id, []).append(group)

    def item(body):
        return {
            "body": body,
            "url": body_url(body),
            "chair": chairs.get(_chair_key(body)),
            "end_text": _end_text(body),
            "running": body.is_running(today),
            "groups": [item(g) for g in groups_of.get(body.pk, [])] if _is_pillar(body) else [],
        }

    return render(
        request,
        "pillars/list.html",
        {
            "current": [item(p) for p in generations.current],
            "ended": [item(p) for p in generations.ended],
            "network_groups": [item(g) for g in groups_of.get(None, [])],
            "can_view_participants": has_rule(request.user, "pillars.view_participants"),
            # The bureau's links to start a pillar or a network-wide group.
            "can_create": rules.may_create_theme_group(request.user, None),
        },
    )


# --- A pillar or theme group ------------------------------------------------------------------


def _own_positions(user, body, taking_part: set[int]) -> list:
    """The user's own current positions at a municipality through which they could ask to
    join ``body`` (none if they take part already). Two queries, for a user with a person."""
    person_id = getattr(user, "person_id", None)
    if not user.is_authenticated or person_id is None or person_id in taking_part:
        return []
    person = contacts.person_detail(pk=person_id)
    today = timezone.localdate()
    return [
        position
        for position in person.positions.all()
        if position.organisation.municipality_id is not None
        and position.is_current(today)
        and rules.category_for(position.function) is not None
    ]


def _history(events) -> list[dict]:
    return [
        {
            "timestamp": event.timestamp,
            "actor": event.actor_label,
            "action": str(ACTION_LABELS.get(event.action, event.action)),
            "subject": event.object_repr,
        }
        for event in events
    ]


def body_context(request, body, *, forms: dict | None = None) -> dict:
    """Everything on the page of a pillar or group; ``forms`` replaces a form by a bound one
    with its errors. A fixed number of queries, whatever the number of participants."""
    user = request.user
    today = timezone.localdate()
    forms = forms or {}
    logged_in = has_rule(user, "pillars.view_participants")
    can_manage = rules.may_manage(user, body, on=today)
    chair = selectors.chairs_of(bodies=[body], on=today).get(_chair_key(body))
    topics = selectors.topics_by_status(body=body)
    context = {
        "body": body,
        "is_pillar": _is_pillar(body),
        "end_text": _end_text(body),
        "running": body.is_running(today),
        "chair": chair,
        "can_view_participants": logged_in,
        "can_view_contact_details": has_rule(user, "contacts.view_contact_details"),
        "can_manage": can_manage,
        "urls": {
            name: body_url(body, name) for name in ("detail", "edit", "topic_propose", "join")
        },
        "topic_sections": [
            {
                "status": status,
                "heading": STATUS_HEADINGS[status],
                "topics": [
                    {
                        "topic": topic,
                        "form": forms.get(("topic", topic.pk))
                        or TopicStatusForm(
                            statuses=rules.TOPIC_TRANSITIONS[topic.status],
                            auto_id=f"onderwerp-{topic.pk}-%s",
                        ),
                    }
                    for topic in items
                ],
            }
            for status, items in topics.items()
        ],
    }
    context.update(body_activities_context(request, body))
    pillar = _is_pillar(body)
    context.update(
        items_section_context(
            request, pillar=body if pillar else None, theme_group=None if pillar else body
        )
    )
    # Starting a group under this pillar (its chair, the bureau) and ending this pillar or
    # group (a pillar: the bureau; a group: also its pillar's chair).
    running = context["running"]
    context["can_create_group"] = _is_pillar(body) and running and can_manage
    context["can_end"] = not body.ended and rules.may_end(user, body, on=today)
    if context["can_end"]:
        context["urls"]["end"] = body_url(body, "end")
    if context["can_create_group"]:
        context["urls"]["group_create"] = reverse(
            "pillars:pillar_group_create", kwargs={"pillar": body.slug}
        )
    if _is_pillar(body):
        context["successions_out"] = list(
            body.successions_out.select_related("successor").order_by("successor__name")
        )
        context["successions_in"] = list(
            body.successions_in.select_related("predecessor").order_by("predecessor__name")
        )
        context["groups"] = [
            {"body": g, "url": body_url(g), "end_text": _end_text(g)}
            for g in selectors.theme_group_list(pillar=body)
        ]
    if can_manage:
        context["edit_form"] = forms.get("edit") or BodyEditForm(
            initial={"purpose": body.purpose}, auto_id="omschrijving-%s"
        )
        context["requests"] = [
            {
                "request": item,
                "form": forms.get(("request", item.pk))
                or RequestHandleForm(auto_id=f"aanmelding-{item.pk}-%s"),
            }
            for item in selectors.participation_request_list(body=body)
        ]
    if not logged_in:
        return context
    groups = selectors.participants_by_municipality(body=body, on=today)
    taking_part = {
        p.position.person_id for g in groups for items in g.by_category.values() for p in items
    }
    for group in groups:
        group.rows = [
            {
                "category": Category(category).label,
                "participations": [
                    {
                        "participation": p,
                        "can_end": can_manage
                        or rules.may_manage_participation_of(
                            user, municipality_id=group.municipality.pk
                        )
                        or rules.may_leave(user, p),
                        "own": rules.may_leave(user, p),
                    }
                    for p in items
                ],
            }
            for category, items in group.by_category.items()
        ]
    context.update(
        participant_groups=groups,
        participant_count=len(taking_part),
        can_propose=context["running"] and rules.may_propose_topic(user, body, on=today),
        history=_history(selectors.recent_changes(body=body)),
    )
    if context["can_propose"]:
        context["propose_form"] = forms.get("propose") or TopicProposeForm(
            auto_id="voorstel-%s", themes=selectors.theme_choices()
        )
    positions = _own_positions(user, body, taking_part) if context["running"] else []
    if positions:
        # Their own latest request: waiting for an answer (no second one), or refused (why).
        own = list(
            selectors.participation_request_list(body=body, state="").filter(
                position__person_id=user.person_id
            )
        )
        latest = own[-1] if own else None
        if latest is not None and latest.state == ParticipationRequest.State.PENDING:
            context["own_request"], positions = latest, []
        elif latest is not None and latest.state == ParticipationRequest.State.REFUSED:
            context["own_request"] = latest
    if positions or "join" in forms:
        context["join_form"] = forms.get("join") or JoinForm(
            positions=positions, auto_id="aanmelden-%s"
        )
    return context


@rule_required("pillars.view")
def pillar_detail(request, pillar: str | None = None, group: str | None = None):
    body = _body(pillar, group)
    return render(request, "pillars/detail.html", body_context(request, body))


def _render_body(request, body, forms: dict):
    context = body_context(request, body, forms=forms)
    context["has_errors"] = True
    return render(request, "pillars/detail.html", context, status=400)


@rule_required("pillars.manage_own")
def body_edit(request, pillar: str | None = None, group: str | None = None):
    body = _body(pillar, group)
    _require(rules.may_manage(request.user, body))
    if request.method != "POST":
        return redirect(body_url(body) + "#omschrijving")
    form = BodyEditForm(request.POST, auto_id="omschrijving-%s")
    if form.is_valid():
        update = services.pillar_update if _is_pillar(body) else services.theme_group_update
        target = {"pillar": body} if _is_pillar(body) else {"theme_group": body}
        try:
            update(
                **target, purpose=form.cleaned_data["purpose"], actor=request.user, origin=ORIGIN
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("De omschrijving is opgeslagen."))
            return redirect(body_url(body))
    return _render_body(request, body, {"edit": form})


@rule_required("pillars.propose_topic")
def topic_propose(request, pillar: str | None = None, group: str | None = None):
    body = _body(pillar, group)
    _require(rules.may_propose_topic(request.user, body))
    if request.method != "POST":
        return redirect(body_url(body) + "#onderwerp-voorstellen")
    form = TopicProposeForm(request.POST, auto_id="voorstel-%s", themes=selectors.theme_choices())
    if form.is_valid():
        target = {"pillar": body} if _is_pillar(body) else {"theme_group": body}
        owner = getattr(request.user, "person", None)
        try:
            if owner is None:
                raise ValidationError(
                    _("Uw account is niet gekoppeld aan een persoon; u kunt geen eigenaar zijn.")
                )
            topic = services.topic_propose(
                **target,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                themes=form.chosen_themes(),
                owner=owner,
                actor=request.user,
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request, _("Het onderwerp is voorgesteld: %(title)s.") % {"title": topic.title}
            )
            return redirect(body_url(body) + "#onderwerpen")
    return _render_body(request, body, {"propose": form})


@rule_required("pillars.manage_own")
def topic_status(request, topic_id: int):
    try:
        topic = selectors.topic_detail(pk=topic_id)
    except Topic.DoesNotExist as exc:
        raise Http404 from exc
    body = topic.body
    _require(rules.may_manage(request.user, body))
    if request.method != "POST":
        return redirect(body_url(body) + f"#onderwerp-{topic.pk}")
    # Posted from the topic's own page: answer with that page, not the pillar's or group's.
    from_topic_page = request.POST.get("terug") == topics.FROM_TOPIC_PAGE
    form = TopicStatusForm(
        request.POST,
        statuses=rules.TOPIC_TRANSITIONS[topic.status],
        auto_id=f"onderwerp-{topic.pk}-%s",
    )
    if form.is_valid():
        try:
            services.topic_status_change(
                topic=topic,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.user,
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("Het onderwerp %(title)s is nu %(status)s.")
                % {"title": topic.title, "status": TopicStatus(form.cleaned_data["status"]).label},
            )
            if from_topic_page:
                return redirect(topics.topic_url(topic))
            return redirect(body_url(body) + "#onderwerpen")
    if from_topic_page:
        return topics.render_topic(request, topic, form)
    return _render_body(request, body, {("topic", topic.pk): form})


@rule_required("pillars.request_join")
def join(request, pillar: str | None = None, group: str | None = None):
    body = _body(pillar, group)
    if request.method != "POST":
        return redirect(body_url(body) + "#aanmelden")
    positions = _own_positions(request.user, body, set())
    form = JoinForm(request.POST, positions=positions, auto_id="aanmelden-%s")
    if form.is_valid():
        position = form.positions[form.cleaned_data["position"]]
        _require(rules.may_request_to_join(request.user, position))
        target = {"pillar": body} if _is_pillar(body) else {"theme_group": body}
        try:
            services.participation_request_create(
                position=position,
                **target,
                note=form.cleaned_data["note"],
                actor=request.user,
                origin=ORIGIN,
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _(
                    "Uw aanmelding is ingediend. De voorzitter of het bureau beslist erover; u "
                    "ziet het antwoord op deze pagina."
                ),
            )
            return redirect(body_url(body))
    return _render_body(request, body, {"join": form})


@rule_required("pillars.manage_own")
def request_handle(request, request_id: int):
    item = selectors.participation_request_list(state="").filter(pk=request_id).first()
    if item is None:
        raise Http404
    body = item.body
    _require(rules.may_handle_request(request.user, item))
    if request.method != "POST":
        return redirect(body_url(body) + "#aanmeldingen")
    form = RequestHandleForm(request.POST, auto_id=f"aanmelding-{item.pk}-%s")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == RequestHandleForm.ACCEPT:
                services.participation_request_accept(
                    request=item, actor=request.user, origin=ORIGIN
                )
                text = _("%(person)s neemt nu deel aan de %(body)s.")
            else:
                services.participation_request_refuse(
                    request=item,
                    reason=form.cleaned_data["refusal_reason"],
                    actor=request.user,
                    origin=ORIGIN,
                )
                text = _("De aanmelding van %(person)s voor de %(body)s is afgewezen.")
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                text % {"person": item.position.person.full_name, "body": body_label(body).lower()},
            )
            return redirect(body_url(body) + "#aanmeldingen")
    return _render_body(request, body, {("request", item.pk): form})
