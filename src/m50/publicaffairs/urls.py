from django.urls import path

from m50.publicaffairs import views

app_name = "publicaffairs"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("signaleringen/<int:match_id>/accepteren/", views.match_accept, name="match_accept"),
    path("signaleringen/<int:match_id>/afwijzen/", views.match_dismiss, name="match_dismiss"),
    path("themas/nieuw/", views.dossier_create, name="dossier_create"),
    path("themas/<slug:theme>/", views.dossier, name="dossier"),
    path("themas/<slug:theme>/wijzigen/", views.dossier_edit, name="dossier_edit"),
    path("themas/<slug:theme>/standpunt/", views.position_add, name="position_add"),
    path(
        "themas/<slug:theme>/standpunt/<int:version_id>/publiceren/",
        views.position_publish,
        name="position_publish",
    ),
    path(
        "themas/<slug:theme>/standpunt/offline/",
        views.position_unpublish,
        name="position_unpublish",
    ),
    path("moties/", views.motion_list, name="motion_list"),
    path("moties/<int:motion_id>/", views.motion_detail, name="motion_detail"),
    path("moties/vng/nieuw/", views.vng_motion_create, name="vng_motion_create"),
    path("moties/<int:motion_id>/wijzigen/", views.vng_motion_edit, name="vng_motion_edit"),
    path("kamerleden/", views.member_list, name="member_list"),
    path("kamerleden/<int:member_id>/", views.member_detail, name="member_detail"),
    path("fracties/", views.fractie_list, name="fractie_list"),
    path("fracties/<int:fractie_id>/", views.fractie_detail, name="fractie_detail"),
    path("contactmomenten/", views.interaction_list, name="interaction_list"),
    path("contactmomenten/nieuw/", views.interaction_create, name="interaction_create"),
    path(
        "contactmomenten/<int:interaction_id>/",
        views.interaction_detail,
        name="interaction_detail",
    ),
    path(
        "contactmomenten/<int:interaction_id>/vervolgactie/",
        views.follow_up_create,
        name="follow_up_create",
    ),
    path(
        "vervolgacties/<int:follow_up_id>/afronden/",
        views.follow_up_complete,
        name="follow_up_complete",
    ),
    path(
        "contactmomenten/<int:interaction_id>/wijzigen/",
        views.interaction_edit,
        name="interaction_edit",
    ),
    path(
        "vervolgacties/<int:follow_up_id>/verwijderen/",
        views.follow_up_delete,
        name="follow_up_delete",
    ),
    path("mijn-acties/", views.my_actions, name="my_actions"),
    path("stakeholders/", views.stakeholder_list, name="stakeholder_list"),
    path("stakeholders/nieuw/", views.stakeholder_create, name="stakeholder_create"),
    path(
        "stakeholders/<int:stakeholder_id>/wijzigen/",
        views.stakeholder_edit,
        name="stakeholder_edit",
    ),
]
