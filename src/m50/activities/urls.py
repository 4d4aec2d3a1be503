from django.urls import path  # noqa: F401 - the routes follow

from m50.activities.views import documents as document_views
from m50.activities.views import manage as manage_views

app_name = "activities"
urlpatterns: list = []

# The organiser's pages: planning, changing, cancelling, managing, documents.
urlpatterns += [
    path("nieuw/", manage_views.activity_create, name="create"),
    path("reeks/nieuw/", manage_views.series_create, name="series_create"),
    path("<int:pk>/wijzigen/", manage_views.activity_edit, name="edit"),
    path("<int:pk>/annuleren/", manage_views.activity_cancel, name="cancel"),
    path("<int:pk>/beheer/", manage_views.manage, name="manage"),
    path("<int:pk>/beheer/<str:list>.<str:fmt>", manage_views.export, name="export"),
    path("<int:pk>/documenten/nieuw/", document_views.document_add, name="document_add"),
    path("<int:pk>/documenten/<int:document_pk>/", document_views.document, name="document"),
    path(
        "<int:pk>/documenten/<int:document_pk>/verwijderen/",
        document_views.document_remove,
        name="document_remove",
    ),
]
