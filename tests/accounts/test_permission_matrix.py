"""Every page and endpoint against every role, from the one table of rules.

The URL patterns are walked, so a new page without a permission rule, or without a sample
in ``SAMPLE_KWARGS``, fails here instead of slipping through.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from m50.accounts.models import Role
from m50.accounts.permissions import ANONYMOUS, EVERYONE, RULES
from m50.contacts.models import Organisation
from m50.finance.models import BankStatement, Invoice, StatementLine
from m50.membership import services as membership_services
from m50.membership.models import DecidingBody, DecisionKind
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    PopulationCountFactory,
    PositionFactory,
)

# Third-party URL trees with their own access control, checked in their own tests.
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"set_language", "accounts:logout"}  # POST-only, tested elsewhere
# Routes that also check the object: a municipal user of another municipality than the
# sample's (Diemen) is refused, even with the rule.
OWN_MUNICIPALITY_ONLY = {
    "membership:proposal_create",
    "finance:invoice_detail",
    "finance:invoice_pdf",
    "finance:invoice_ubl",
    "contacts:person_edit",
    "contacts:position_create",
    "contacts:position_end",
    "contacts:organisation_person_create",
    "pillars:participation_register",
    "pillars:participation_end",
    "reports:council_memo",
    "reports:council_memo_template",
    "reports:value_report",
}


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(p for p in (namespace, entry.namespace) if p)
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name not in EXCLUDED_NAMES:
                yield name, entry


def _rule_of(callback) -> str | None:
    for holder in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        rule = getattr(holder, "permission_rule", None)
        if rule:
            return rule
    return None


ROUTES = sorted(
    {name: pattern for name, pattern in _walk(get_resolver())}.items(), key=lambda item: item[0]
)


def test_every_route_names_a_known_rule():
    missing = [name for name, pattern in ROUTES if _rule_of(pattern.callback) not in RULES]
    assert missing == []


@pytest.fixture
def sample(db):
    diemen = MunicipalityFactory(code="GM0384", name="Diemen")
    PopulationCountFactory(municipality=diemen, year=2024, inhabitants=32_977)
    organisation = OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY, municipality=diemen, slug="gemeente-diemen"
    )
    person = PersonFactory()
    position = PositionFactory(person=person, organisation=organisation)
    membership = membership_services.membership_for(municipality=diemen)
    decision = membership_services.decision_record(
        membership=membership,
        kind=DecisionKind.ASPIRANT,
        deciding_body=DecidingBody.COLLEGE,
        decided_on=datetime.date(2022, 8, 22),
        mandated_body=DecidingBody.MAYOR,
    )
    proposal = membership_services.proposal_create(
        membership=membership,
        actor=None,
        kind=DecisionKind.DEFINITIVE,
        deciding_body=DecidingBody.MAYOR,
        decided_on=datetime.date(2023, 5, 16),
        document_title="Informatie van de burgemeester",
    )
    return {
        "code": "GM0384",
        "slug": organisation.slug,
        "pk": person.pk,
        "decision_id": decision.pk,
        "proposal_id": proposal.pk,
        "number": _sample_invoice(membership).number,
        "line_id": _sample_statement_line().pk,
        "position_id": position.pk,
        # A reset link that is not valid: its page explains that, to everyone.
        "uidb64": "MA",
        "token": "ongeldig",
        "draft": _sample_draft(membership).key,
        "change_id": _sample_billing_change(diemen).pk,
        "year": 2023,
        **_sample_pillars(position),
        **_sample_activities(),
        **_sample_activity_api(person),
        **_sample_calendar(),
        **_sample_public_activity(),
        **_sample_knowledge(),
        **_sample_knowledge_api(),
        **_sample_publicaffairs_api(),
        **_sample_public_affairs(diemen),
    }


PUBLICAFFAIRS_API_PREFIXES = (
    "api:theme-dossier-",
    "api:member-of-parliament-",
    "api:fractie-",
    "api:motion-",
    "api:vote-",
    "api:interaction-",
)
# The agenda's pages of one activity take the public sample, which every role sees.
PUBLIC_ACTIVITY_ROUTES = frozenset(
    {"activities:detail", "activities:register", "activities:cancel_registration"}
)


def _sample_public_activity():
    """A public activity a week ahead, planned by the bureau's service (no actor)."""
    from django.utils import timezone

    from m50.activities import services as activity_services

    start = timezone.now() + datetime.timedelta(days=7)
    activity = activity_services.activity_create(
        actor=None,
        kind="webinar",
        title="Webinar",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        audience="iedereen",
    )
    return {"public_activity_pk": activity.pk}


def _sample_pillars(position):
    """Sociaal with a theme group, a topic, a participation of Diemen's official and a request
    to join (stored directly: the sample is no running member). Nobody of the roles' users
    chairs them, so only the bureau manages them."""
    from m50.pillars.models import Participation, ParticipationRequest, Pillar, ThemeGroup, Topic

    sociaal = Pillar.objects.get(slug="sociaal")
    group = ThemeGroup.objects.create(name="Jeugd", slug="jeugd", pillar=sociaal)
    topic = Topic.objects.create(pillar=sociaal, title="Jeugdzorg", owner=position.person)
    participation = Participation.objects.create(
        position=position, pillar=sociaal, category="adviseur", start_date=datetime.date(2024, 1, 1)
    )
    request = ParticipationRequest.objects.create(position=position, theme_group=group)
    return {
        "pillar": sociaal.slug,
        "group": group.slug,
        "topic_id": topic.pk,
        "participation_id": participation.pk,
        "request_id": request.pk,
        # The API's names for the same objects.
        "pillar_slug": sociaal.slug,
        "theme_group_slug": group.slug,
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # The sample activity's document is stored here, not in the project's var/media.
    settings.MEDIA_ROOT = tmp_path


def _sample_activities():
    """A meeting the bureau plans for all participants of members (every logged-in user sees
    it; only the bureau manages it), with a PDF as its agenda."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from m50.activities import services as activity_services

    start = timezone.now() + datetime.timedelta(days=7)
    activity = activity_services.activity_create(
        actor=None,
        kind="ledenvergadering",
        title="Ledenvergadering",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    document = activity_services.document_add(
        activity=activity,
        actor=None,
        kind="agenda",
        title="Agenda",
        uploaded_file=SimpleUploadedFile("agenda.pdf", b"%PDF-1.7\n%%EOF\n"),
    )
    return {
        "activity_id": activity.pk,
        "document_pk": document.pk,
        "list": "aanmeldingen",
        "fmt": "csv",
    }


def _sample_activity_api(person):
    """A public general meeting organised by the bureau, with a seat for the sample's person:
    the bureau manages both; public affairs manages only its visits and consultations."""
    from django.utils import timezone

    from m50.activities import services as activities

    start = timezone.now() + datetime.timedelta(days=7)
    activity = activities.activity_create(
        actor=None,
        kind="ledenvergadering",
        title="Ledenvergadering",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        audience="iedereen",
    )
    registration = activities.registration_create(activity=activity, person=person, actor=None)
    return {"api_activity_id": activity.pk, "api_registration_id": registration.pk}


def _sample_knowledge_api():
    """A public guide of the bureau with its PDF: everyone reads it; only the bureau manages it
    (no role's user chairs a pillar here)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from m50.knowledge import services as knowledge

    item = knowledge.item_create(
        actor=None,
        form="document",
        kind="handreiking",
        title="Handreiking",
        access="openbaar",
        uploaded_file=SimpleUploadedFile("handreiking.pdf", b"%PDF-1.7\n%%EOF\n"),
    )
    knowledge.item_accept(actor=None, item=item)
    return {"api_knowledge_item_id": item.pk}


def _sample_publicaffairs_api():
    """A theme dossier, a Kamerlid of a fractie, a motion with a decision and a vote, and a
    contact: every logged-in user of the network reads them."""
    import uuid

    from m50.core.models import Theme
    from m50.publicaffairs import records
    from m50.publicaffairs.models import (
        Decision,
        Fractie,
        Interaction,
        MemberOfParliament,
        Motion,
        Vote,
    )

    fractie = Fractie.objects.create(tk_id=uuid.uuid4(), name="Fractie", abbreviation="F")
    member = MemberOfParliament.objects.create(tk_id=uuid.uuid4(), surname="Lid", fractie=fractie)
    motion = Motion.objects.create(source=Motion.Source.TWEEDE_KAMER, tk_id=uuid.uuid4())
    decision = Decision.objects.create(tk_id=uuid.uuid4(), motion=motion, result="Aangenomen")
    vote = Vote.objects.create(tk_id=uuid.uuid4(), decision=decision, fractie=fractie, kind="Voor")
    # Mobiliteit: the pages' sample below starts Wonen's dossier.
    records.dossier_create(actor=None, theme=Theme.objects.get(slug="mobiliteit"))
    interaction = records.interaction_create(
        actor=None, kind=Interaction.Kind.TALK, date=datetime.date(2026, 12, 2), subject="Gesprek"
    )
    return {
        "api:theme-dossier-": {"slug": "mobiliteit"},
        "api:member-of-parliament-": {"pk": member.pk},
        "api:fractie-": {"pk": fractie.pk},
        "api:motion-": {"pk": motion.pk},
        "api:vote-": {"pk": vote.pk},
        "api:interaction-": {"pk": interaction.pk},
    }


def _sample_calendar():
    """A public activity, and the calendar secret of a participant of Sociaal and its group
    Jeugd (stored directly): the feeds answer whoever holds the URL, logged in or not."""
    from m50.activities.models import Activity, CalendarFeed
    from m50.pillars.models import Participation, Pillar, ThemeGroup
    from tests.factories import UserFactory

    start = datetime.datetime(2027, 3, 27, 9, tzinfo=datetime.UTC)
    activity = Activity.objects.create(
        kind="webinar",
        title="Webinar",
        audience="iedereen",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    organisation = OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY, municipality=MunicipalityFactory()
    )
    position = PositionFactory(organisation=organisation)
    for body in (Pillar.objects.get(slug="sociaal"), ThemeGroup.objects.get(slug="jeugd")):
        Participation.objects.create(
            position=position,
            **{"pillar" if isinstance(body, Pillar) else "theme_group": body},
            category="adviseur",
            start_date=datetime.date(2024, 1, 1),
        )
    subscriber = UserFactory(
        role=Role.PARTICIPANT, person=position.person, municipality=organisation.municipality
    )
    return {
        "calendar_activity_id": activity.pk,
        "feed_token": CalendarFeed.objects.create(user=subscriber).token,
    }


def _sample_knowledge():
    """A published item of the bureau for all users of members, a document with one version
    (stored directly: no text extraction needed here). Only the bureau manages it."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from m50.knowledge.models import KnowledgeDocument, KnowledgeItem

    item = KnowledgeItem.objects.create(
        form="document",
        kind="publicatie",
        title="Publicatie",
        access="netwerk",
        status="gepubliceerd",
        published_at=timezone.now(),
    )
    document = KnowledgeDocument(
        item=item,
        version=1,
        filename="publicatie.pdf",
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
        text_status="gelezen",
    )
    document.file.save("publicatie.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    document.save()
    return {"knowledge_pk": item.pk, "knowledge_version": document.version}


def _sample_public_affairs(municipality):
    """Wonen's dossier with a position, a Tweede Kamer motion on it with a submitter, a work
    visit in Diemen with a follow-up of the bureau's service, and a match to judge."""
    import uuid

    from m50.core.models import Theme
    from m50.publicaffairs import records
    from m50.publicaffairs.models import (
        Fractie,
        Interaction,
        MemberOfParliament,
        Motion,
        MotionSubmitter,
        WatchMatch,
    )
    from tests.factories import UserFactory

    dossier = records.dossier_create(actor=None, theme=Theme.objects.get(slug="wonen"))
    version = records.position_add(actor=None, dossier=dossier, text="Meer woningen.")
    records.position_publish(actor=None, version=version)
    fractie = Fractie.objects.create(tk_id=uuid.uuid4(), name="Fractie", abbreviation="F")
    member = MemberOfParliament.objects.create(
        tk_id=uuid.uuid4(), surname="Kamerlid", fractie=fractie, municipality=municipality
    )
    motion = Motion.objects.create(
        source=Motion.Source.TWEEDE_KAMER, tk_id=uuid.uuid4(), number="36000-1", title="Motie"
    )
    dossier.motions.add(motion)
    MotionSubmitter.objects.create(
        tk_id=uuid.uuid4(), motion=motion, member=member, role="submitter"
    )
    visit = records.interaction_create(
        actor=None,
        kind=Interaction.Kind.WORK_VISIT,
        date=datetime.date(2026, 11, 3),
        subject="Werkbezoek",
        municipality=municipality,
        members=[member],
        confidential_note="Vertrouwelijk",
    )
    owner = UserFactory(role=Role.PUBLIC_AFFAIRS)
    follow_up = records.follow_up_create(
        actor=None, interaction=visit, description="Bellen", owner=owner
    )
    other = Motion.objects.create(
        source=Motion.Source.TWEEDE_KAMER, tk_id=uuid.uuid4(), number="36000-2", title="Andere"
    )
    match = WatchMatch.objects.create(dossier=dossier, motion=other)
    stakeholder = records.stakeholder_create(actor=None, fractie=fractie, next_step="Bellen")
    vng_motion = records.vng_motion_create(
        actor=None, title="Resolutie middelgrote gemeenten", date=datetime.date(2026, 6, 5)
    )
    return {
        "theme": "wonen",
        "version_id": version.pk,
        "motion_id": motion.pk,
        "member_id": member.pk,
        "fractie_id": fractie.pk,
        "interaction_id": visit.pk,
        "follow_up_id": follow_up.pk,
        "match_id": match.pk,
        "stakeholder_id": stakeholder.pk,
        "vng_motion_id": vng_motion.pk,
    }


def _sample_billing_change(municipality):
    """A change of Diemen's invoice details asked for by its contact, for the bureau."""
    from m50.reports.models import BillingChangeRequest

    return BillingChangeRequest.objects.create(
        municipality=municipality, changes={"city": {"old": "", "new": "Diemen"}}
    )


def _sample_invoice(membership) -> Invoice:
    """Diemen's invoice 2024-0001 (stored directly: the sample is no definitive member)."""
    return Invoice.objects.create(
        number="2024-0001",
        year=2024,
        sequence=1,
        membership=membership,
        fee_year=2024,
        issue_date=datetime.date(2024, 1, 15),
        due_date=datetime.date(2024, 2, 14),
        amount="5000.00",
        vat_category="O",
        vat_rate="0.00",
        vat_amount="0.00",
        total="5000.00",
        description="Contributie M50 2024, Diemen",
        debtor_name="Gemeente Diemen",
        # What an e-invoice needs, so that the UBL download is a document, not a refusal.
        debtor_address_line="Postbus 191",
        debtor_postal_code="1110 AD",
        debtor_city="Diemen",
        debtor_oin="00000001001997233000",
    )


def _sample_draft(membership) -> Invoice:
    """Diemen's unsent draft for 2025: no number yet, addressed as concept-<id>."""
    return Invoice.objects.create(
        membership=membership,
        fee_year=2025,
        issue_date=datetime.date(2025, 1, 15),
        due_date=datetime.date(2025, 2, 14),
        amount="5000.00",
        vat_category="O",
        vat_rate="0.00",
        vat_amount="0.00",
        total="5000.00",
        description="Contributie M50 2025, Diemen",
        debtor_name="Gemeente Diemen",
    )


def _sample_statement_line() -> StatementLine:
    """An unmatched credit line of a bank statement, for the page that matches it by hand."""
    statement = BankStatement.objects.create(
        message_id="MSG-1", statement_id="STMT-1", account_iban="NL91ABNA0417164300"
    )
    return StatementLine.objects.create(
        statement=statement,
        booking_date=datetime.date(2024, 2, 1),
        amount="5000.00",
        remittance="contributie",
    )


def _kwargs_for(name, pattern, sample):
    names = pattern.pattern.regex.groupindex
    if name.startswith("api:decision"):  # the router names the decision's id "pk"
        return {"pk": sample["decision_id"]} if "pk" in names else {}
    if name.startswith("api:pillar-"):
        return {"slug": sample["pillar_slug"]} if "slug" in names else {}
    if name.startswith("api:theme-group-"):
        return {"slug": sample["theme_group_slug"]} if "slug" in names else {}
    if name.startswith("api:participation-"):
        return {"pk": sample["participation_id"]} if "pk" in names else {}
    if name.startswith("api:topic-"):
        return {"pk": sample["topic_id"]} if "pk" in names else {}
    if name in PUBLIC_ACTIVITY_ROUTES:  # an activity's own "pk", not the person's
        return {"pk": sample["public_activity_pk"]}
    if name == "activities:ics":
        return {"pk": sample["calendar_activity_id"]}
    if name.startswith("activities:feed_") and "token" in names:
        body = {
            "activities:feed_pillar": sample["pillar"],
            "activities:feed_group": sample["group"],
        }
        return {"token": sample["feed_token"], **({"slug": body[name]} if name in body else {})}
    if name.startswith("activities:") and "pk" in names:  # the sample's "pk" is a person's
        return {key: sample["activity_id"] if key == "pk" else sample[key] for key in names}
    if name.startswith("knowledge:"):  # an item's own "pk", not the person's
        return {
            key: {"pk": sample["knowledge_pk"], "version": sample["knowledge_version"]}[key]
            for key in names
        }
    if name.startswith("api:activity-"):
        return {"pk": sample["api_activity_id"]} if "pk" in names else {}
    if name.startswith("api:registration-"):
        return {"pk": sample["api_registration_id"]} if "pk" in names else {}
    if name.startswith("api:knowledge-item-"):
        return {"pk": sample["api_knowledge_item_id"]} if "pk" in names else {}
    if name == "publicaffairs:vng_motion_edit":  # a VNG motion: a synced one is read-only
        return {"motion_id": sample["vng_motion_id"]}
    for prefix in PUBLICAFFAIRS_API_PREFIXES:
        if name.startswith(prefix):
            return {key: sample[prefix][key] for key in names}
    return {key: sample[key] for key in names}


A, B, PA, PC, MC, P = (
    ANONYMOUS,
    Role.BUREAU,
    Role.PUBLIC_AFFAIRS,
    Role.PILLAR_CHAIR,
    Role.MEMBER_CONTACT,
    Role.PARTICIPANT,
)
STAFF = {B, PA, PC}
LOGGED_IN = {B, PA, PC, MC, P}
OK, LOGIN, DENIED, UNAUTHENTICATED = 200, 302, 403, 401
# A write that passes the permission check fails on its empty body or missing If-Match.
WRITE_ALLOWED = "write-allowed"


def page(allowed):
    """A page for ``allowed`` roles: others get 403, anonymous visitors the login page."""
    return {role: OK if role in allowed else (LOGIN if role == A else DENIED) for role in EVERYONE}


def endpoint(allowed, status=OK):
    return {
        role: status if role in allowed else (UNAUTHENTICATED if role == A else DENIED)
        for role in EVERYONE
    }


PUBLIC = {role: OK for role in EVERYONE}

# Written out from DESIGN.md §2, not derived from the rules table it checks. The member
# contact and participant belong to another municipality than the sample (Diemen).
EXPECTED = {
    ("core:home", "get"): PUBLIC,
    ("accounts:login", "get"): {role: OK if role == A else LOGIN for role in EVERYONE},
    ("accounts:password_reset", "get"): PUBLIC,
    ("accounts:password_reset_done", "get"): PUBLIC,
    ("accounts:password_reset_confirm", "get"): PUBLIC,
    ("accounts:password_reset_complete", "get"): PUBLIC,
    ("municipalities:list", "get"): PUBLIC,
    ("municipalities:detail", "get"): PUBLIC,
    ("municipalities:prospects", "get"): page(STAFF),
    ("municipalities:population_import", "get"): page({B}),
    ("contacts:organisation_list", "get"): page(LOGGED_IN),
    ("contacts:organisation_detail", "get"): page(LOGGED_IN),
    ("contacts:person_detail", "get"): page(LOGGED_IN),
    # People and positions: the bureau any; a member contact its own municipality's (the
    # sample is Diemen's, so the contact of another municipality finds nothing: 404).
    ("contacts:organisation_create", "get"): page({B}),
    ("contacts:organisation_edit", "get"): page({B}),
    ("contacts:person_create", "get"): page({B}),
    ("contacts:person_edit", "get"): {**page({B}), MC: 404},
    ("contacts:position_create", "get"): {**page({B}), MC: 404},
    ("contacts:position_end", "get"): {**page({B}), MC: 404},
    ("contacts:organisation_person_create", "get"): {**page({B}), MC: 404},
    ("membership:overview", "get"): PUBLIC,
    ("membership:deadlines", "get"): page({B}),
    ("membership:decision_create", "get"): page({B}),
    ("membership:decision_correct", "get"): page({B}),
    ("membership:decision_withdraw", "get"): page({B}),
    ("membership:succession_create", "get"): page({B}),
    ("membership:proposal_confirm", "get"): page({B}),
    ("membership:proposal_reject", "get"): page({B}),
    ("membership:proposal_create", "get"): page(set()),  # only Diemen's own contact
    ("api:openapi", "get"): PUBLIC,
    ("api:municipality-list", "get"): PUBLIC,
    ("api:municipality-detail", "get"): PUBLIC,
    ("api:organisation-list", "get"): endpoint(LOGGED_IN),
    ("api:organisation-detail", "get"): endpoint(LOGGED_IN),
    ("api:membership-list", "get"): PUBLIC,
    ("api:membership-detail", "get"): PUBLIC,
    ("api:decision-list", "get"): PUBLIC,
    ("api:decision-detail", "get"): PUBLIC,
    ("api:decision-list", "post"): endpoint({B}, WRITE_ALLOWED),
    ("api:decision-detail", "patch"): endpoint({B}, WRITE_ALLOWED),
    ("api:decision-withdraw", "post"): endpoint({B}, WRITE_ALLOWED),
    # A member contact reads its own municipality's invoices; another's is a 404, not a 403.
    ("api:invoice-list", "get"): endpoint({B, MC}),
    ("api:invoice-detail", "get"): {**endpoint({B}), MC: 404},
    # Pillars and theme groups are public; who takes part, and in what, for logged-in users.
    # The sample's participation and topic are of Diemen's official in Sociaal: the member
    # contact (of another municipality) and the chair (of no pillar) are refused per object.
    ("api:pillar-list", "get"): PUBLIC,
    ("api:pillar-detail", "get"): PUBLIC,
    ("api:theme-group-list", "get"): PUBLIC,
    ("api:theme-group-detail", "get"): PUBLIC,
    ("api:participation-list", "get"): endpoint(LOGGED_IN),
    ("api:participation-detail", "get"): endpoint(LOGGED_IN),
    ("api:participation-list", "post"): endpoint(LOGGED_IN, WRITE_ALLOWED),
    ("api:participation-end", "post"): endpoint({B}, WRITE_ALLOWED),
    ("api:topic-list", "get"): endpoint(LOGGED_IN),
    ("api:topic-detail", "get"): endpoint(LOGGED_IN),
    ("api:topic-list", "post"): endpoint(LOGGED_IN, WRITE_ALLOWED),
    ("api:topic-status", "post"): endpoint({B}, WRITE_ALLOWED),
    # Activities: the sample is public, so everyone reads it; any logged-in user may try to
    # plan one (the organiser decides, per object, after the body is read); only the bureau
    # manages the sample (a general meeting of the bureau).
    ("api:activity-list", "get"): PUBLIC,
    ("api:activity-detail", "get"): PUBLIC,
    ("api:activity-list", "post"): endpoint(LOGGED_IN, WRITE_ALLOWED),
    ("api:activity-detail", "patch"): endpoint({B}, WRITE_ALLOWED),
    ("api:activity-cancel", "post"): endpoint({B}, WRITE_ALLOWED),
    # Registrations: one's own; the organiser all of an activity. The sample's is of Diemen's
    # official, whom none of the roles' users is: only the bureau (organiser) finds it.
    ("api:registration-list", "get"): endpoint(LOGGED_IN),
    ("api:registration-list", "post"): endpoint(LOGGED_IN, WRITE_ALLOWED),
    ("api:registration-detail", "get"): {
        **endpoint(set()),
        B: OK,
        **{r: 404 for r in (PA, PC, MC, P)},
    },
    ("api:registration-withdraw", "post"): {
        **endpoint({B}, WRITE_ALLOWED),
        **{r: 404 for r in (PA, PC, MC, P)},
    },
    # Knowledge items: the sample is public, so everyone reads it and its file.
    ("api:knowledge-item-list", "get"): PUBLIC,
    ("api:knowledge-item-detail", "get"): PUBLIC,
    ("api:knowledge-item-document", "get"): PUBLIC,
    # Any logged-in user may try to add one (the rules decide, per object, after the body is
    # read); only the bureau manages the sample (the bureau's own).
    ("api:knowledge-item-list", "post"): endpoint(LOGGED_IN, WRITE_ALLOWED),
    ("api:knowledge-item-detail", "patch"): endpoint({B}, WRITE_ALLOWED),
    ("api:knowledge-item-withdraw", "post"): endpoint({B}, WRITE_ALLOWED),
    ("api:knowledge-item-documents", "post"): endpoint({B}, WRITE_ALLOWED),
    # The sample is published: nothing to submit, publish or reject, for anyone.
    ("api:knowledge-item-submit", "post"): endpoint(set()),
    ("api:knowledge-item-publish", "post"): endpoint(set()),
    ("api:knowledge-item-reject", "post"): endpoint(set()),
    # Public affairs: every logged-in user of the network reads (the note by role).
    ("api:theme-dossier-list", "get"): endpoint(LOGGED_IN),
    ("api:theme-dossier-detail", "get"): endpoint(LOGGED_IN),
    ("api:member-of-parliament-list", "get"): endpoint(LOGGED_IN),
    ("api:member-of-parliament-detail", "get"): endpoint(LOGGED_IN),
    ("api:fractie-list", "get"): endpoint(LOGGED_IN),
    ("api:fractie-detail", "get"): endpoint(LOGGED_IN),
    ("api:motion-list", "get"): endpoint(LOGGED_IN),
    ("api:motion-detail", "get"): endpoint(LOGGED_IN),
    ("api:vote-list", "get"): endpoint(LOGGED_IN),
    ("api:vote-detail", "get"): endpoint(LOGGED_IN),
    ("api:interaction-list", "get"): endpoint(LOGGED_IN),
    ("api:interaction-detail", "get"): endpoint(LOGGED_IN),
    ("api:interaction-list", "post"): endpoint({B, PA}, WRITE_ALLOWED),
    # Finance pages: the bureau's. The sample invoice is Diemen's, so for the member contact (of
    # another municipality) its page and downloads do not exist (404, as in the API).
    ("finance:overview", "get"): page({B}),
    ("finance:invoice_run", "get"): page({B}),
    ("finance:fees", "get"): page({B}),
    ("finance:billing_list", "get"): page({B}),
    ("finance:billing_details", "get"): page({B}),
    ("finance:invoice_list", "get"): page({B}),
    ("finance:invoice_detail", "get"): {**page({B}), MC: 404},
    ("finance:invoice_send", "get"): page({B}),
    ("finance:invoice_credit", "get"): page({B}),
    ("finance:payment_create", "get"): page({B}),
    ("finance:invoice_pdf", "get"): {**page({B}), MC: 404},
    ("finance:invoice_ubl", "get"): {**page({B}), MC: 404},
    ("finance:open_amounts", "get"): page({B}),
    ("finance:payment_list", "get"): page({B}),
    ("finance:bank_lines", "get"): page({B}),
    ("finance:statement_import", "get"): page({B}),
    ("finance:line_match", "get"): page({B}),
    # Its own municipality's invoice details: the member contact of any municipality.
    ("reports:billing_change", "get"): page({MC}),
    ("finance:invoice_send_all", "get"): page({B}),
    ("finance:reminders", "get"): page({B}),
    ("finance:invoice_refresh", "get"): page({B}),
    ("finance:invoice_withdraw", "get"): page({B}),
    ("reports:billing_change_list", "get"): page({B}),
    ("reports:billing_change_handle", "get"): page({B}),
    # The network's figures and its year: the bureau's.
    ("reports:dashboard", "get"): page({B}),
    ("reports:network_year", "get"): page({B}),
    ("reports:network_year_file", "get"): page({B}),
    # The council memo: the bureau, and Diemen's own contact (the sample's member contact is
    # of another municipality); anyone else finds nothing.
    ("reports:council_memo", "get"): {**page({B}), **{r: 404 for r in LOGGED_IN - {B}}},
    ("reports:value_report", "get"): {**page({B}), **{r: 404 for r in LOGGED_IN - {B}}},
    # Its house template is posted; a GET goes back to the memo's page.
    ("reports:council_memo_template", "get"): {
        **page(set()),
        B: LOGIN,
        **{r: 404 for r in LOGGED_IN - {B}},
    },
    # Pillars and theme groups: public, without the people (checked in tests/pillars).
    ("pillars:list", "get"): PUBLIC,
    ("pillars:detail", "get"): PUBLIC,
    ("pillars:group_detail", "get"): PUBLIC,
    # A topic's page: public as its pillar's (the sample's topic of Sociaal).
    ("pillars:topic_detail", "get"): PUBLIC,
    # Who takes part where: every logged-in user of the network.
    ("pillars:matrix", "get"): page(LOGGED_IN),
    # Registering and ending participations: the bureau; a member contact for its own
    # municipality only (the sample is Diemen's); a participant their own participation.
    ("pillars:participation_register", "get"): page({B}),
    ("pillars:participation_end", "get"): page({B}),
    # The forms on a pillar's page post here; a GET goes back to the page (302) for whoever
    # may post. Only the bureau manages the sample pillar (no role's user chairs it).
    ("pillars:edit", "get"): {**page(set()), B: LOGIN},
    ("pillars:group_edit", "get"): {**page(set()), B: LOGIN},
    ("pillars:topic_status", "get"): {**page(set()), B: LOGIN},
    ("pillars:request_handle", "get"): {**page(set()), B: LOGIN},
    ("pillars:topic_propose", "get"): {**page(set()), B: LOGIN},
    ("pillars:group_topic_propose", "get"): {**page(set()), B: LOGIN},
    # Asking to join is for any official (checked per position when posting).
    ("pillars:join", "get"): {**page(set()), **{role: LOGIN for role in LOGGED_IN}},
    ("pillars:group_join", "get"): {**page(set()), **{role: LOGIN for role in LOGGED_IN}},
    # Starting and ending pillars and groups: the bureau; a pillar's chair a group of their own
    # pillar (per object; no role's user chairs the sample's Sociaal).
    ("pillars:pillar_create", "get"): page({B}),
    ("pillars:group_create", "get"): page({B}),
    ("pillars:pillar_group_create", "get"): page({B}),
    ("pillars:end", "get"): page({B}),
    ("pillars:group_end", "get"): page({B}),
    # Activities: the agenda and a public activity for everyone; your own registrations for
    # logged-in users; registering and cancelling are posted, a GET goes back to the page.
    ("activities:agenda", "get"): PUBLIC,
    ("activities:month", "get"): PUBLIC,
    ("activities:detail", "get"): PUBLIC,
    ("activities:mine", "get"): page(LOGGED_IN),
    ("activities:register", "get"): {role: LOGIN for role in EVERYONE},
    ("activities:cancel_registration", "get"): {role: LOGIN for role in EVERYONE},
    # Planning activities: the bureau any, public affairs the bureau's visits and consultations,
    # a chair for their own pillar or group (no role's user chairs one here). Managing the
    # sample meeting of the bureau: the bureau only; the others see it (403, not 404).
    ("activities:create", "get"): page({B, PA}),
    ("activities:series_create", "get"): page({B, PA}),
    ("activities:edit", "get"): page({B}),
    ("activities:cancel", "get"): page({B}),
    ("activities:manage", "get"): page({B}),
    ("activities:export", "get"): page({B}),
    ("activities:document_add", "get"): page({B}),
    # A document: whoever sees the activity; a visitor does not see one for members (404).
    ("activities:document", "get"): {**page(LOGGED_IN), A: 404},
    ("activities:document_remove", "get"): {**page(set()), **{r: 405 for r in LOGGED_IN}},
    # Calendars: a public activity's .ics and the public feed for anyone; a subscription feed
    # for whoever holds its secret URL (calendar clients do not log in); one's own page of
    # those URLs for every logged-in user.
    ("activities:ics", "get"): PUBLIC,
    ("activities:feed_public", "get"): PUBLIC,
    ("activities:feed_user", "get"): PUBLIC,
    ("activities:feed_pillar", "get"): PUBLIC,
    ("activities:feed_group", "get"): PUBLIC,
    ("activities:subscription", "get"): page(LOGGED_IN),
    # The library: anyone browses; the sample is for all users of members, so a visitor finds
    # neither its page nor its file (404). Adding an item: the bureau, and a member's official
    # (an example of their own municipality); no role's user chairs a pillar here. Only the
    # bureau manages the sample; submitting and publishing are posted (a GET: 405); the sample
    # is no submission, so rejecting it sends the bureau back to its page.
    ("knowledge:list", "get"): PUBLIC,
    ("knowledge:detail", "get"): {**page(LOGGED_IN), A: 404},
    ("knowledge:download", "get"): {**page(LOGGED_IN), A: 404},
    ("knowledge:create", "get"): page({B, MC, P}),
    ("knowledge:edit", "get"): page({B}),
    ("knowledge:version_add", "get"): page({B}),
    ("knowledge:submit", "get"): {**page(set()), **{r: 405 for r in LOGGED_IN}},
    ("knowledge:accept", "get"): {**page(set()), **{r: 405 for r in LOGGED_IN}},
    ("knowledge:reject", "get"): {**page(set()), B: LOGIN},
    ("knowledge:withdraw", "get"): page({B}),
    ("knowledge:review", "get"): page(LOGGED_IN),
    # One search box for everyone; each finds only what they may see (tests/knowledge).
    ("search:page", "get"): PUBLIC,
    ("search:suggestions", "get"): PUBLIC,
    # Public affairs: every logged-in user reads (without confidential notes); public affairs
    # and the bureau write. Accepting, dismissing, publishing and completing are posted (a
    # GET: 405); the follow-up form is on the contact's page (a GET goes back there).
    ("publicaffairs:overview", "get"): page(LOGGED_IN),
    ("publicaffairs:dossier", "get"): page(LOGGED_IN),
    ("publicaffairs:dossier_create", "get"): page({B, PA}),
    ("publicaffairs:dossier_edit", "get"): page({B, PA}),
    ("publicaffairs:position_add", "get"): page({B, PA}),
    ("publicaffairs:position_publish", "get"): {**page(set()), **{r: 405 for r in LOGGED_IN}},
    ("publicaffairs:match_accept", "get"): {**page(set()), **{r: 405 for r in LOGGED_IN}},
    ("publicaffairs:match_dismiss", "get"): {**page(set()), **{r: 405 for r in LOGGED_IN}},
    ("publicaffairs:motion_list", "get"): page(LOGGED_IN),
    ("publicaffairs:motion_detail", "get"): page(LOGGED_IN),
    ("publicaffairs:member_list", "get"): page(LOGGED_IN),
    ("publicaffairs:member_detail", "get"): page(LOGGED_IN),
    ("publicaffairs:fractie_list", "get"): page(LOGGED_IN),
    ("publicaffairs:fractie_detail", "get"): page(LOGGED_IN),
    ("publicaffairs:interaction_list", "get"): page(LOGGED_IN),
    ("publicaffairs:interaction_create", "get"): page({B, PA}),
    ("publicaffairs:interaction_detail", "get"): page(LOGGED_IN),
    ("publicaffairs:follow_up_create", "get"): {**page(set()), B: LOGIN, PA: LOGIN},
    ("publicaffairs:follow_up_complete", "get"): {**page(set()), **{r: 405 for r in LOGGED_IN}},
    ("publicaffairs:my_actions", "get"): page(LOGGED_IN),
    # Unpublishing a position is posted (a GET: 405). The published positions are the public
    # site's: anyone reads them.
    ("publicaffairs:position_unpublish", "get"): {**page(set()), **{r: 405 for r in LOGGED_IN}},
    ("positions:list", "get"): PUBLIC,
    ("positions:detail", "get"): PUBLIC,
    ("publicaffairs:stakeholder_list", "get"): page(LOGGED_IN),
    ("publicaffairs:stakeholder_create", "get"): page({B, PA}),
    ("publicaffairs:stakeholder_edit", "get"): page({B, PA}),
    ("publicaffairs:vng_motion_create", "get"): page({B, PA}),
    ("publicaffairs:vng_motion_edit", "get"): page({B, PA}),
    ("publicaffairs:interaction_edit", "get"): page({B, PA}),
    ("publicaffairs:follow_up_delete", "get"): {**page(set()), **{r: 405 for r in LOGGED_IN}},
}


def _methods_of(pattern) -> set[str]:
    actions = getattr(pattern.callback, "actions", None)
    return set(actions) - {"head", "options"} if actions else {"get"}


def test_every_route_and_method_has_an_expectation():
    routes = {(name, method) for name, pattern in ROUTES for method in _methods_of(pattern)}
    assert routes == set(EXPECTED)


# One case per route and method, all roles against one sample: building the sample is most of
# a case's cost, and the roles only read it (a refused or failing write changes nothing).
@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_route_for_every_role(client, user_for_role, sample, name, method):
    pattern = dict(ROUTES)[name]
    url = reverse(name, kwargs=_kwargs_for(name, pattern, sample))
    wrong = []
    for role in sorted(EVERYONE):
        client.logout()
        if role != ANONYMOUS:
            client.force_login(user_for_role(Role(role)))
        if method == "get":
            response = client.get(url)
        else:
            response = getattr(client, method)(url, data={}, content_type="application/json")
        expected = EXPECTED[(name, method)][role]
        status = response.status_code
        if expected == WRITE_ALLOWED:
            if status in (401, 403, 404, 500):
                wrong.append((role, status, "a write that passes the check"))
        elif status != expected:
            wrong.append((role, status, expected))
        elif (
            status == 302
            and role == ANONYMOUS
            and not response.url.startswith(reverse("accounts:login"))
        ):
            wrong.append((role, response.url, "the login page"))
    assert wrong == [], (url, wrong)


# Per object: the chair of one pillar posting to another's forms is refused and writes nothing.
CHAIR_WRITES = [
    ("pillars:edit", "pillar", {"purpose": "Overgenomen"}),
    ("pillars:group_edit", "group", {"purpose": "Overgenomen"}),
    ("pillars:topic_status", "topic_id", {"status": "adopted"}),
    ("pillars:request_handle", "request_id", {"decision": "accepteren"}),
    ("pillars:participation_end", "participation_id", {}),
    ("pillars:pillar_group_create", "pillar", {"name": "Overgenomen"}),
    ("pillars:group_end", "group", {"ended_on": "2026-01-31"}),
]


@pytest.mark.parametrize(("name", "key", "data"), CHAIR_WRITES)
def test_the_chair_of_one_pillar_is_refused_on_another(client, sample, name, key, data):
    from m50.core.models import AuditEvent
    from m50.pillars.models import Participation, Pillar
    from m50.pillars.models import Role as PillarRole
    from tests.factories import UserFactory

    financieel = Pillar.objects.get(slug="financieel")
    position = PositionFactory(
        organisation=OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY),
        function="wethouder",
    )
    Participation.objects.create(
        position=position,
        pillar=financieel,
        role=PillarRole.CHAIR,
        category="bestuurder",
        start_date=datetime.date(2024, 1, 1),
    )
    chair = UserFactory(role=Role.PILLAR_CHAIR, person=position.person, municipality=None)
    client.force_login(chair)
    # The chair manages their own pillar ...
    assert client.get(reverse("pillars:edit", args=["financieel"])).status_code == 302
    before = AuditEvent.objects.count()
    response = client.post(reverse(name, kwargs={key: sample[key]}), data)
    # ... and not Sociaal or its group: refused, nothing written.
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before
