"""Topics: proposed by who takes part, adopted, parked, closed or reopened, with history."""

import pytest
from django.core.exceptions import ValidationError

from m50.accounts.models import Role
from m50.core.models import AuditEvent
from m50.pillars import services
from m50.pillars.models import Topic, TopicStatus, TopicStatusChange
from tests.factories import PersonFactory, ThemeGroupFactory, UserFactory
from tests.pillars.conftest import START, official, pillar

pytestmark = pytest.mark.django_db
S = TopicStatus


@pytest.fixture
def member(diemen, sociaal):
    position = official(diemen)
    services.participation_register(position=position, pillar=sociaal, start_date=START)
    return position.person


@pytest.fixture
def topic(member, sociaal):
    return services.topic_propose(
        pillar=sociaal, title="Jeugdzorg en de Jeugdwet", owner=member, description="Tekorten"
    )


def test_a_participant_proposes_a_topic_with_history_and_audit(member, sociaal):
    actor = UserFactory(role=Role.BUREAU, person=member, username="w")
    topic = services.topic_propose(
        pillar=sociaal, title="  Wonen  ", owner=member, note="Uit de vergadering", actor=actor
    )
    assert (topic.title, topic.status, topic.owner) == ("Wonen", S.PROPOSED, member)
    [change] = topic.status_changes.all()
    assert (change.from_status, change.to_status) == ("", S.PROPOSED)
    assert (change.changed_by, change.changed_by_label) == (actor, "w")
    assert change.note == "Uit de vergadering"
    assert AuditEvent.objects.get(action="topic.propose").changes["title"]["new"] == "Wonen"


def test_the_owner_takes_part_in_the_pillar(member, financieel):
    with pytest.raises(ValidationError, match="neemt niet deel aan de pijler Financieel"):
        services.topic_propose(pillar=financieel, title="Gemeentefinanciën", owner=member)
    with pytest.raises(ValidationError, match="neemt niet deel"):
        services.topic_propose(
            theme_group=ThemeGroupFactory(), title="Mobiliteit", owner=PersonFactory()
        )
    assert not Topic.objects.exists()


def test_an_ended_pillar_takes_no_new_topics(member):
    with pytest.raises(ValidationError, match="neemt geen nieuwe onderwerpen aan"):
        services.topic_propose(pillar=pillar("samenleving"), title="Zorg", owner=member)
    assert not Topic.objects.exists()


def test_a_topic_needs_a_title_and_one_pillar_or_group(member, sociaal):
    with pytest.raises(ValidationError, match="Vul een titel in"):
        services.topic_propose(pillar=sociaal, title=" ", owner=member)
    with pytest.raises(ValidationError, match="één pijler of bij één themagroep"):
        services.topic_propose(title="Wonen", owner=member)
    assert not Topic.objects.exists()


def test_adopt_park_adopt_close_reopen_with_history(topic):
    for status in (S.ADOPTED, S.PARKED, S.ADOPTED, S.CLOSED, S.PROPOSED):
        topic = services.topic_status_change(topic=topic, status=status, note=f"naar {status}")
    steps = [(c.from_status, c.to_status) for c in topic.status_changes.all()]
    assert steps == [
        ("", S.PROPOSED),
        (S.PROPOSED, S.ADOPTED),
        (S.ADOPTED, S.PARKED),
        (S.PARKED, S.ADOPTED),
        (S.ADOPTED, S.CLOSED),
        (S.CLOSED, S.PROPOSED),
    ]
    events = AuditEvent.objects.filter(action="topic.status_change").order_by("pk")
    assert events.count() == 5
    assert events.first().changes == {
        "status": {"old": "proposed", "new": "adopted"},
        "note": {"old": "", "new": "naar adopted"},
    }


@pytest.mark.parametrize(
    ("path", "refused"),
    [((), S.PROPOSED), ((S.ADOPTED,), S.PROPOSED), ((S.CLOSED,), S.ADOPTED), ((), "verzonnen")],
)
def test_a_topic_does_not_jump(topic, path, refused):
    for status in path:
        topic = services.topic_status_change(topic=topic, status=status)
    count = TopicStatusChange.objects.count()
    with pytest.raises(ValidationError):
        services.topic_status_change(topic=topic, status=refused)
    topic.refresh_from_db()
    assert topic.status == (path[-1] if path else S.PROPOSED)
    assert TopicStatusChange.objects.count() == count


def test_in_an_ended_pillar_a_topic_can_only_be_closed(topic, sociaal):
    import datetime

    services.pillar_end(pillar=sociaal, ended_on=datetime.date(2025, 12, 31))
    with pytest.raises(ValidationError, match="kan alleen nog worden afgesloten"):
        services.topic_status_change(topic=topic, status=S.ADOPTED)
    assert services.topic_status_change(topic=topic, status=S.CLOSED).status == S.CLOSED


def test_a_topic_changes_owner_only_to_a_participant(topic, houten, sociaal):
    with pytest.raises(ValidationError, match="neemt niet deel"):
        services.topic_update(topic=topic, owner=PersonFactory())
    other = official(houten)
    services.participation_register(position=other, pillar=sociaal, start_date=START)
    services.topic_update(topic=topic, owner=other.person, title="Jeugdzorg")
    topic.refresh_from_db()
    assert (topic.owner, topic.title) == (other.person, "Jeugdzorg")
    assert set(AuditEvent.objects.get(action="topic.update").changes) == {"owner", "title"}
