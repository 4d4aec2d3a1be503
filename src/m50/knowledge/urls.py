from django.urls import path

from m50.knowledge.views import library, manage

app_name = "knowledge"

# The library: browsing, an item's page, its file (the current version or an older one).
urlpatterns: list = [
    path("", library.item_list, name="list"),
    path("<int:pk>/", library.item_detail, name="detail"),
    path("<int:pk>/document/", library.download, name="download"),
    path("<int:pk>/document/<int:version>/", library.download, name="download"),
]

# Writing, submitting and reviewing items.
urlpatterns += [
    path("nieuw/", manage.item_create, name="create"),
    path("<int:pk>/wijzigen/", manage.item_edit, name="edit"),
    path("<int:pk>/nieuwe-versie/", manage.version_add, name="version_add"),
    path("<int:pk>/indienen/", manage.item_submit, name="submit"),
    path("beoordelen/", manage.review, name="review"),
    path("<int:pk>/publiceren/", manage.item_accept, name="accept"),
    path("<int:pk>/afwijzen/", manage.item_reject, name="reject"),
    path("<int:pk>/intrekken/", manage.item_withdraw, name="withdraw"),
]
