from django.urls import path

from m50.knowledge.views import search

app_name = "search"

# One search box over the platform, in the header of every page.
urlpatterns = [
    path("", search.search, name="page"),
    # Type-ahead for that box (JSON), read by core/static/m50/typeahead.js.
    path("suggesties", search.suggestions, name="suggestions"),
]
