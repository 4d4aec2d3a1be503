"""The page of one topic: what it is, where it is worked on, how its status moved, and the
knowledge items that came from it; the chair's status form posts to ``topic_status``."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from m50.accounts.permissions import has_rule
from m50.core.access import rule_required
from m50.knowledge.views.library import items_section_context
from m50.pillars import rules, selectors
from m50.pillars.forms import TopicStatusForm
from m50.pillars.models import Topic, TopicStatus
from m50.pillars.views._common import STATUS_HEADINGS, _end_text, _is_pillar, body_url

# The status form on the topic page names itself, so that its view answers with this page.
FROM_TOPIC_PAGE = "onderwerp"


def topic_url(topic: Topic) -> str:
    return reverse("pillars:topic_detail", kwargs={"topic_id": topic.pk})


def topic_or_404(topic_id: int) -> Topic:
    # Pillars and groups are public (rule pillars.view), so a topic is visible whenever it
    # exists; only an unknown topic is a 404.
    try:
        return selectors.topic_detail(pk=topic_id)
    except Topic.DoesNotExist as exc:
        raise Http404 from exc


def topic_context(request, topic: Topic, *, form: TopicStatusForm | None = None) -> dict:
    """Everything on the page of ``topic``; ``form`` replaces the status form by a bound one
    with its errors. A fixed number of queries, whatever the number of items or changes."""
    user = request.user
    body = topic.body
    can_manage = rules.may_manage(user, body, on=timezone.localdate())
    logged_in = has_rule(user, "pillars.view_participants")
    context = {
        "topic": topic,
        "body": body,
        "is_pillar": _is_pillar(body),
        "topic_page_url": topic_url(topic),
        "body_url": body_url(body),
        "body_end_text": _end_text(body),
        "status_label": TopicStatus(topic.status).label,
        "status_heading": STATUS_HEADINGS[topic.status],
        "themes": list(topic.themes.all()),
        # The owner and who changed the status: people, for the network's own users only
        # (as on the page of the pillar or group).
        "can_view_participants": logged_in,
        "history": list(topic.status_changes.all()) if logged_in else [],
        "can_manage": can_manage,
        "from_topic_page": FROM_TOPIC_PAGE,
    }
    if not _is_pillar(body) and body.pillar_id:
        context["parent"] = body.pillar
        context["parent_url"] = body_url(body.pillar)
    if can_manage:
        context["status_form"] = form or TopicStatusForm(
            statuses=rules.TOPIC_TRANSITIONS[topic.status], auto_id=f"onderwerp-{topic.pk}-%s"
        )
    context.update(items_section_context(request, topic=topic))
    return context


@rule_required("pillars.view_topic")
def topic_detail(request, topic_id: int):
    topic = topic_or_404(topic_id)
    return render(request, "pillars/topic_detail.html", topic_context(request, topic))


def render_topic(request, topic: Topic, form: TopicStatusForm):
    context = topic_context(request, topic, form=form)
    context["has_errors"] = True
    return render(request, "pillars/topic_detail.html", context, status=400)
