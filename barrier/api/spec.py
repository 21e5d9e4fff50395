"""The OpenAPI 3.1 document of /api/v1, generated from the code by spectree.

Why spectree: it validates requests and responses with the same pydantic v2 models it documents
(pydantic's JSON Schema is 2020-12, the dialect of OpenAPI 3.1), and it works with a plain Flask
app and blueprint: ``@spec.validate(...)`` on a view, nothing app-wide. flask-smorest
(marshmallow + apispec) installs its own app-wide HTTP error handlers and documentation
blueprint, and flask-openapi3 needs its own ``OpenAPI`` app class instead of ``Flask``; both would
reach into the app factory that other areas share.

A few things spectree does not model are added here from the code, not written by hand:
problem responses get ``application/problem+json``, and the JSON Lines body of the register sync
gets the schema of one line.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel
from spectree import Response, SecurityScheme, SpecTree
from spectree.models import SecuritySchemeData

from barrier.api.problems import PROBLEM_JSON, from_validation_error
from barrier.api.schemas import Problem

API_VERSION = "1.0.0"
SECURITY = {"apiKey": []}
DESCRIPTION = (
    "De koppelvlakken van Barrier voor e-formulieren, zaaksystemen, portalen en ketenpartners. "
    "Elke aanroep heeft een API-sleutel nodig (`Authorization: Bearer brr_...`) die een beheerder "
    "aanmaakt, met scopes en een gemeente. Fouten komen als `application/problem+json` (RFC 9457) "
    "met een Nederlandse uitleg en, bij verkeerde invoer, `invalid-params` per veld."
)
TAGS = {
    "Aanvragen": "Aanvragen indienen zoals een e-formulier dat doet, en hun status lezen.",
    "Gebeurtenissen": "Statuswijzigingen en nieuwe treffers om te pollen in plaats van te scrapen.",
    "Register": "Het risicoregister synchroniseren (JSON Lines, alles-of-niets).",
    "Screening": "Personen, organisaties en adressen tegen het risicoregister leggen.",
}


def _before(_req, _resp, req_validation_error, _instance, _model_adapter) -> None:
    """Spectree found the request invalid: answer with problem+json in Dutch, per field."""
    if req_validation_error is not None:
        raise from_validation_error(req_validation_error.errors(include_url=False))


spec = SpecTree(
    "flask",
    mode="strict",
    title="Barrier API",
    version=API_VERSION,
    description=DESCRIPTION,
    path="api/v1/_spectree",  # spectree's own pages are never registered (no register(app))
    security_schemes=[SecurityScheme(name="apiKey", data=SecuritySchemeData(
        type="http", scheme="bearer", bearer_format="brr_<prefix>_<geheim>",
        description="De API-sleutel die de beheerder eenmalig toonde."))],
    before=_before,
    validation_error_status=422,
    validation_error_model=Problem,
    # Plain schema names (ApplicationIn, not ApplicationIn.8eb8936); nested models shared by name.
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
)

COMMON_PROBLEMS = {
    "HTTP_401": (Problem, "Geen, een onbekende of een ingetrokken API-sleutel"),
    "HTTP_403": (Problem, "De client heeft de scope niet, of het gaat om een andere gemeente"),
    "HTTP_429": (Problem, "Te veel verzoeken (limiet van de client)"),
}
BODY_PROBLEMS = {
    "HTTP_400": (Problem, "Het bericht is geen geldige JSON"),
    "HTTP_413": (Problem, "Het bericht is te groot"),
    "HTTP_415": (Problem, "Verkeerde Content-Type"),
}


def responses(*, body: bool = False, **codes: Any) -> Response:
    """A spectree Response with the problems every authenticated endpoint can answer."""
    return Response(**{**COMMON_PROBLEMS, **(BODY_PROBLEMS if body else {}),
                       "HTTP_422": (Problem, "Ongeldige invoer: invalid-params noemt elk veld"), **codes})


# Request bodies that are not JSON, keyed by operationId: (media type, the model of one line).
_LINE_BODIES: dict[str, tuple[str, type[BaseModel], str]] = {}


def json_lines_body(operation_id: str, model: type[BaseModel], description: str) -> None:
    _LINE_BODIES[operation_id] = ("application/jsonl", model, description)


_document: dict[str, Any] | None = None


def openapi_document() -> dict[str, Any]:
    """The finished document (needs an app context: spectree reads the URL map)."""
    global _document
    if _document is None:
        _document = _finish(copy.deepcopy(spec.spec))
    return _document


def _scopes_by_operation() -> dict[str, str]:
    """operationId -> the scope its view declares with ``require_scope`` (read from the views)."""
    from flask import current_app

    scopes = {}
    for rule in current_app.url_map.iter_rules():
        view = current_app.view_functions[rule.endpoint]
        metadata = spec.get_function_metadata(view)
        scope = getattr(view, "barrier_api_scope", None)
        if metadata is not None and metadata.operation_id and scope:
            scopes[metadata.operation_id] = scope
    return scopes


def _finish(document: dict[str, Any]) -> dict[str, Any]:
    scopes = _scopes_by_operation()
    document["tags"] = [{"name": name, "description": text} for name, text in TAGS.items()]
    document["security"] = []
    schemas = document["components"]["schemas"]
    for path_item in document["paths"].values():
        for operation in path_item.values():
            scope = scopes.get(operation.get("operationId", ""))
            if scope:
                operation["x-scope"] = scope
                operation["description"] = (operation.get("description", "") + f"\n\nScope: `{scope}`.").strip()
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if int(code) >= 400 and "application/json" in content:
                    response["content"] = {PROBLEM_JSON: content["application/json"]}
            line_body = _LINE_BODIES.get(operation.get("operationId", ""))
            if line_body:
                media_type, model, description = line_body
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                for name, definition in schema.pop("$defs", {}).items():
                    schemas.setdefault(name, definition)
                schemas[model.__name__] = schema
                operation["requestBody"] = {"required": True, "description": description, "content": {
                    media_type: {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}
    return document
