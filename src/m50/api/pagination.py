from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages as the API Design Rules' examples do: links and totals next to the results.

    ``page`` and ``pageSize`` must be whole numbers (else 400, naming the parameter); a page
    number outside the result gives 404.
    """

    page_size_query_param = "pageSize"
    max_page_size = 500
    page_query_description = gettext_lazy("Het paginanummer, vanaf 1.")
    page_size_query_description = gettext_lazy("Het aantal resultaten per pagina.")
    invalid_page_message = gettext_lazy("Pagina {page_number} bestaat niet.")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not raw.isdecimal() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Geef een geheel getal van 1 tot en met %(max)d.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "")
        if raw != "" and raw not in self.last_page_strings and not raw.isdecimal():
            raise ValidationError(
                {self.page_query_param: [_("Geef een paginanummer als geheel getal.")]}
            )
        return super().get_page_number(request, paginator)

    def paginate_queryset(self, queryset, request, view=None):
        # A view over a large table names the figures its count is kept with (see
        # m50.core.versions.VersionedFigures), so the count is not taken on every request.
        figures = getattr(view, "figures", None)
        if figures is not None:
            self.django_paginator_class = figures().paginator
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        properties = response["properties"]
        properties["count"]["description"] = str(
            gettext_lazy("Het totale aantal resultaten over alle pagina's.")
        )
        for name, text in (
            ("next", gettext_lazy("URL van de volgende pagina; null op de laatste.")),
            ("previous", gettext_lazy("URL van de vorige pagina; null op de eerste.")),
        ):
            properties[name].pop("example", None)
            properties[name]["description"] = str(text)
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update({"minimum": 1, "default": 1})
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_page_size, "default": self.page_size}
                )
        return parameters
