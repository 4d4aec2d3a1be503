"""The OpenAPI document as the API Design Rules ask for it.

:class:`ApiAutoSchema` is the schema class of every API view (the base view set sets it). To
each operation it adds what the rules require and the code does anyway:

- the ``API-Version`` header on every response (ADR /core/version-header; the middleware sets
  it on every response under ``/api/``);
- the errors an operation can give, as ``application/problem+json`` with the ``Problem``
  schema (RFC 9457, what :mod:`m50.api.problems` produces), with ``WWW-Authenticate`` on 401;
- anonymous access as a security alternative on operations under a public rule;
- on writes, 400 and 415, and the statuses a view names for an action in
  ``action_problem_codes`` (409, 412, 428).

:func:`postprocess_schema` completes the document itself (global tag list). It runs when
``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]`` lists it; the document is valid without it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers

from m50.accounts.permissions import RULES, is_public
from m50.api.problems import PROBLEM_CONTENT_TYPE

API_VERSION_HEADER = "API-Version"

# Tags in the order the document lists them, with their description.
TAGS = {
    "gemeenten": _("Gemeentelijk register: CBS-gemeenten, inwoners, herindelingen en netwerken."),
    "organisaties": _("Organisaties en de functies van personen daar (alleen met een token)."),
    "lidmaatschappen": _("Wie lid is van het M50 en sinds wanneer, met het lopende mandaat."),
    "besluiten": _(
        "De besluiten van het lidmaatschapsdossier; vastleggen en aanvullen door het bureau."
    ),
    "facturen": _(
        "Facturen en creditnota's van de contributie: het bureau alle, een contactpersoon van "
        "een lid die van de eigen gemeente."
    ),
    "pijlers": _(
        "De pijlers van het netwerk, huidige en beëindigde, met hun themagroepen en de gemeente"
        " van hun voorzitter; openbaar."
    ),
    "themagroepen": _("De themagroepen, van een pijler of van het hele netwerk; openbaar."),
    "deelnames": _(
        "Wie deelneemt aan welke pijler of themagroep (alleen met een token); vastleggen en"
        " beëindigen door het bureau, de contactpersoon van de gemeente of de voorzitter."
    ),
    "onderwerpen": _(
        "Waaraan pijlers en themagroepen werken, met de geschiedenis van hun status (alleen met"
        " een token)."
    ),
    "activiteiten": _(
        "Vergaderingen, bijeenkomsten, overleggen, webinars en werkbezoeken, elk voor zijn"
        " doelgroep (zonder token de openbare); plannen, wijzigen en annuleren door de"
        " organisator."
    ),
    "aanmeldingen": _(
        "Aanmeldingen voor activiteiten, met de wachtlijst (alleen met een token): de eigen, en"
        " voor de organisator alle van een activiteit."
    ),
    "kennisitems": _(
        "De bibliotheek: documenten, links en notities, elk voor wie het mag lezen (zonder"
        " token de openbare), met hun bestanden; toevoegen, wijzigen en intrekken door wie dat"
        " mag."
    ),
    "themas": _(
        "De themadossiers van public affairs: standpunt, doelen, zoektermen, commissies en moties"
        " (alleen met een token)."
    ),
    "kamerleden": _("Kamerleden uit de open data van de Tweede Kamer (alleen met een token)."),
    "fracties": _("Fracties van de Tweede Kamer (alleen met een token)."),
    "moties": _(
        "Moties van de Tweede Kamer en moties en resoluties van de VNG, met indieners, besluiten"
        " en uitkomst (alleen met een token)."
    ),
    "stemmingen": _(
        "Stemmen over besluiten van de Tweede Kamer, per fractie en hoofdelijk (alleen met een"
        " token)."
    ),
    "contactmomenten": _(
        "Contactmomenten van public affairs; de vertrouwelijke notitie alleen voor public affairs"
        " en het bureau (alleen met een token)."
    ),
    "openapi": _("Dit OpenAPI-document."),
}


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("De parameter of het veld dat ongeldig is."))
    code = serializers.CharField(help_text=_("Een vaste code voor de soort fout."))
    reason = serializers.CharField(help_text=_("Uitleg in gewone taal."))


class ProblemSerializer(serializers.Serializer):
    """Problem details for HTTP APIs (RFC 9457)."""

    type = serializers.CharField(
        help_text=_("URI die de soort fout aanduidt; 'about:blank' als de status genoeg zegt.")
    )
    title = serializers.CharField(help_text=_("Korte omschrijving van de soort fout."))
    status = serializers.IntegerField(help_text=_("De HTTP-statuscode."))
    detail = serializers.CharField(
        required=False, help_text=_("Uitleg van deze fout in gewone taal.")
    )
    instance = serializers.CharField(
        required=False, help_text=_("Het pad en de query van het verzoek dat misging.")
    )
    # lowerCamelCase as every field of the API (ADR); the name the ADR examples use.
    invalidParams = InvalidParamSerializer(
        many=True,
        required=False,
        help_text=_("Bij 400: elke ongeldige parameter met de reden."),
    )


def _problem_descriptions() -> dict[int, str]:
    return {
        400: _("Ongeldige parameter; invalidParams noemt welke en waarom."),
        401: _("Niet of ongeldig geauthenticeerd; stuur 'Authorization: Token <sleutel>'."),
        403: _("Geauthenticeerd, maar de rol van de gebruiker geeft geen toegang."),
        404: _("Niet gevonden (ook: een paginanummer buiten het bereik)."),
        406: _("Het gevraagde mediatype (Accept) wordt niet ondersteund."),
        409: _("Botst met wat intussen is vastgelegd."),
        412: _("If-Match noemt niet de actuele versie (ETag): iemand anders wijzigde intussen."),
        415: _("De body is geen application/json."),
        428: _("If-Match ontbreekt (of is '*'): stuur de ETag die u bij het lezen kreeg."),
    }


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


def api_version_header() -> dict:
    return {
        "description": str(_("De volledige versie van de API (semantic versioning).")),
        "required": True,
        "schema": {"type": "string", "example": settings.API_VERSION},
    }


def etag_header_parameter(*, response: list[int]):
    """The ``ETag`` a response carries: the version of the resource, for ``If-Match``."""
    return OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=response,
        required=True,
        description=_(
            'De versie van dit gegeven, zoals "12-3". Stuur die bij een wijziging terug in'
            " If-Match."
        ),
    )


def if_match_parameter():
    """The ``If-Match`` request header of a change under optimistic concurrency."""
    return OpenApiParameter(
        "If-Match",
        str,
        OpenApiParameter.HEADER,
        required=True,
        examples=[OpenApiExample("versie", value='"1-1"')],
        description=_(
            "De ETag van de versie die u las en wijzigt. Ontbreekt hij (of is hij '*'): 428."
            " Is het gegeven intussen gewijzigd: 412; haal het dan opnieuw op."
        ),
    )


def www_authenticate_header() -> dict:
    return {
        "description": str(_("Het te gebruiken authenticatieschema: 'Token'.")),
        "schema": {"type": "string", "example": "Token"},
    }


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the headers and problem responses of the ADR."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        problem_ref = None
        descriptions = _problem_descriptions()
        for code in self.get_problem_codes():
            if str(code) in responses:
                continue
            if problem_ref is None:
                problem_ref = self.resolve_serializer(ProblemSerializer, "response").ref
            responses[str(code)] = {
                "description": str(descriptions[code]),
                "content": {PROBLEM_CONTENT_TYPE: {"schema": problem_ref}},
            }
        for code, response in responses.items():
            if not response.get("description") and code < "400":
                response["description"] = str(_("Gelukt."))
            # API-Version first, then the operation's own headers (ETag, Location, ...).
            headers = {API_VERSION_HEADER: api_version_header(), **response.get("headers", {})}
            response["headers"] = headers
            if code == "401":
                headers.setdefault("WWW-Authenticate", www_authenticate_header())
        if self._conditional():
            self._add_validators(operation, responses)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _conditional(self) -> bool:
        """Whether the action answers conditional requests (``m50.core.conditional.public_api``)."""
        action = getattr(self.view, getattr(self.view, "action", None) or "", None)
        return bool(getattr(action, "conditional_data", None))

    def _add_validators(self, operation: dict, responses: dict) -> None:
        parameters = operation.setdefault("parameters", [])
        for name, description in (
            (
                "If-None-Match",
                _("De ETag van een eerder antwoord: is er niets gewijzigd, dan volgt 304."),
            ),
            (
                "If-Modified-Since",
                _("De Last-Modified van een eerder antwoord (als er geen If-None-Match is)."),
            ),
        ):
            parameters.append(
                {
                    "in": "header",
                    "name": name,
                    "required": False,
                    "schema": {"type": "string"},
                    "description": str(description),
                }
            )
        validators = {
            "ETag": {
                "description": str(
                    _("De versie van de gegevens in dit antwoord, voor If-None-Match.")
                ),
                "schema": {"type": "string"},
            },
            "Last-Modified": {
                "description": str(_("Wanneer deze gegevens het laatst zijn gewijzigd.")),
                "schema": {"type": "string"},
            },
        }
        ok = responses.get("200")
        if ok is not None:
            ok["headers"] = {**ok.get("headers", {}), **validators}
        responses["304"] = {
            "description": str(
                _("Niet gewijzigd sinds de ETag of datum in het verzoek: gebruik uw kopie.")
            ),
            "headers": {API_VERSION_HEADER: api_version_header(), **validators},
        }

    def _permission_rule(self) -> str | None:
        getter = getattr(self.view, "get_permission_rule", None)
        rule = getter() if getter is not None else getattr(self.view, "permission_rule", None)
        return rule if rule in RULES else None

    def get_problem_codes(self) -> list[int]:
        """The error statuses this operation can answer with, all as problem+json."""
        codes = {406}
        if self.view.get_authenticators():
            codes.add(401)  # also on public operations: a wrong token is refused
        rule = self._permission_rule()
        if rule is not None and not is_public(rule):
            codes.add(403)
        action = getattr(self.view, "action", None)
        if action == "list":
            codes.update({400, 404})  # bad filter or page size; page out of range
        elif self.path_regex and "(?P<" in self.path_regex:
            codes.add(404)
        if self.method in WRITE_METHODS:
            codes.update({400, 415})  # invalid body; not JSON
        codes.update(getattr(self.view, "action_problem_codes", {}).get(action, ()))
        return sorted(codes)

    def get_auth(self):
        auths = super().get_auth()
        rule = self._permission_rule()
        if auths and rule is not None and is_public(rule) and {} not in auths:
            auths.append({})
        return auths


class StrictSerializerExtension(OpenApiSerializerExtension):
    """A :class:`~m50.api.serializers.StrictSerializer` refuses unknown fields, so its request
    body says ``additionalProperties: false``."""

    target_class = "m50.api.serializers.StrictSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """DRF's token authentication, described in Dutch (replaces drf-spectacular's own); also
    for its subclass :class:`m50.api.authentication.TokenAuthentication`, the one in use."""

    target_class = "rest_framework.authentication.TokenAuthentication"
    name = "tokenAuth"
    match_subclasses = True
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _(
                    "Token-authenticatie: stuur de header 'Authorization: Token <sleutel>'. "
                    "Het bureau geeft sleutels uit."
                )
            ),
        }


def _type_nullable_references(node, schemas: dict) -> None:
    """``{"allOf": [{"$ref": X}], "nullable": true}`` gets X's ``type``: in OpenAPI 3.0,
    ``nullable`` counts only beside a ``type`` (spectral's example validation says so)."""
    if isinstance(node, dict):
        all_of = node.get("allOf")
        if node.get("nullable") and "type" not in node and isinstance(all_of, list):
            refs = [item.get("$ref", "") for item in all_of if isinstance(item, dict)]
            types = {schemas.get(ref.rsplit("/", 1)[-1], {}).get("type") for ref in refs}
            if len(types) == 1 and None not in types:
                node["type"] = types.pop()
        for value in node.values():
            _type_nullable_references(value, schemas)
    elif isinstance(node, list):
        for value in node:
            _type_nullable_references(value, schemas)


def postprocess_schema(result, generator, request, public):
    """Lists the tags the operations use, with descriptions (spectral's operation-tag-defined),
    and types the nullable references."""
    _type_nullable_references(result, result.get("components", {}).get("schemas", {}))
    used = {
        tag
        for path_item in result.get("paths", {}).values()
        for operation in path_item.values()
        if isinstance(operation, dict)
        for tag in operation.get("tags", [])
    }
    known = [{"name": name, "description": str(text)} for name, text in TAGS.items()]
    result["tags"] = [tag for tag in known if tag["name"] in used] + [
        {"name": name} for name in sorted(used - set(TAGS))
    ]
    return result
