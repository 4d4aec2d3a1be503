"""/api/v1: plural Dutch nouns, no trailing slash (a trailing slash is a 404 problem)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from m50.activities.api import ActivityViewSet, RegistrationViewSet
from m50.api import views
from m50.contacts.api import OrganisationViewSet
from m50.finance.api import InvoiceViewSet
from m50.knowledge.api import KnowledgeItemViewSet
from m50.membership.api import DecisionViewSet, MembershipViewSet
from m50.municipalities.api import MunicipalityViewSet
from m50.pillars.api import (
    ParticipationViewSet,
    PillarViewSet,
    ThemeGroupViewSet,
    TopicViewSet,
)
from m50.publicaffairs.api import (
    FractieViewSet,
    InteractionViewSet,
    MemberViewSet,
    MotionViewSet,
    ThemeDossierViewSet,
    VoteViewSet,
)

router = SimpleRouter(trailing_slash=False)
router.register("gemeenten", MunicipalityViewSet, basename="municipality")
router.register("organisaties", OrganisationViewSet, basename="organisation")
router.register("lidmaatschappen", MembershipViewSet, basename="membership")
router.register("besluiten", DecisionViewSet, basename="decision")
router.register("facturen", InvoiceViewSet, basename="invoice")
router.register("pijlers", PillarViewSet, basename="pillar")
router.register("themagroepen", ThemeGroupViewSet, basename="theme-group")
router.register("deelnames", ParticipationViewSet, basename="participation")
router.register("onderwerpen", TopicViewSet, basename="topic")
router.register("activiteiten", ActivityViewSet, basename="activity")
router.register("aanmeldingen", RegistrationViewSet, basename="registration")
router.register("kennisitems", KnowledgeItemViewSet, basename="knowledge-item")
router.register("themas", ThemeDossierViewSet, basename="theme-dossier")
router.register("kamerleden", MemberViewSet, basename="member-of-parliament")
router.register("fracties", FractieViewSet, basename="fractie")
router.register("moties", MotionViewSet, basename="motion")
router.register("stemmingen", VoteViewSet, basename="vote")
router.register("contactmomenten", InteractionViewSet, basename="interaction")

app_name = "api"
urlpatterns = [
    path("openapi.json", views.OpenApiView.as_view(), name="openapi"),
    *router.urls,
]
