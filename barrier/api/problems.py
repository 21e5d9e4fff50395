"""Errors of the API as ``application/problem+json`` (RFC 9457, NL API Design Rules API-46).

Every refusal is an ``ApiProblem`` with a Dutch title and detail and, for wrong input, an
``invalid-params`` list naming each wrong field (``parties[1].bsn``) with a Dutch reason. The
problem types are listed here once; the documentation page shows the same list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask import Response, request, url_for

PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str
    description: str


PROBLEM_TYPES: dict[str, ProblemType] = {p.slug: p for p in (
    ProblemType("ongeldige-invoer", 422, "Ongeldige invoer",
                "Een of meer velden kloppen niet; ``invalid-params`` noemt elk veld met de reden."),
    ProblemType("ongeldige-json", 400, "Ongeldige JSON",
                "Het bericht is geen geldige JSON (of geen geldige JSON Lines)."),
    ProblemType("mediatype-niet-ondersteund", 415, "Mediatype niet ondersteund",
                "De Content-Type van het bericht is niet wat dit endpoint verwacht."),
    ProblemType("niet-geauthenticeerd", 401, "Niet geauthenticeerd",
                "Geen, een onbekende of een ingetrokken API-sleutel (Authorization: Bearer <sleutel>)."),
    ProblemType("onvoldoende-rechten", 403, "Onvoldoende rechten",
                "De API-client heeft de scope voor dit endpoint niet, of vraagt om gegevens van een andere gemeente."),
    ProblemType("niet-gevonden", 404, "Niet gevonden",
                "Dit adres of deze aanvraag bestaat niet, of hoort niet bij de gemeente van deze API-client."),
    ProblemType("methode-niet-toegestaan", 405, "Methode niet toegestaan",
                "Dit endpoint kent deze HTTP-methode niet; de header Allow noemt de toegestane."),
    ProblemType("te-groot", 413, "Bericht te groot", "Het bericht is groter dan toegestaan."),
    ProblemType("idempotentiesleutel-hergebruikt", 422, "Idempotency-Key al gebruikt voor een ander bericht",
                "Dezelfde Idempotency-Key is eerder gebruikt met een ander bericht; kies een nieuwe sleutel."),
    ProblemType("idempotentie-in-behandeling", 409, "Verzoek met deze Idempotency-Key loopt nog",
                "Een eerder verzoek met dezelfde Idempotency-Key wordt nog verwerkt; probeer het zo opnieuw."),
    ProblemType("te-veel-verzoeken", 429, "Te veel verzoeken",
                "De API-client heeft zijn limiet bereikt; probeer het na Retry-After seconden opnieuw."),
    ProblemType("register-bezet", 409, "Register wordt bijgewerkt",
                "Een andere bijwerking van het register loopt nog; probeer het later opnieuw."),
    ProblemType("opslag-niet-beschikbaar", 503, "Tijdelijk niet beschikbaar",
                "De database of de documentopslag is tijdelijk niet bereikbaar. Er is niets opgeslagen."),
    ProblemType("interne-fout", 500, "Er ging iets mis",
                "Er ging iets mis aan onze kant. Er is niets opgeslagen; probeer het later opnieuw."),
)}


@dataclass(frozen=True)
class InvalidParam:
    name: str
    reason: str
    code: str = "invalid"

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code, "reason": self.reason}


@dataclass(eq=False)
class ApiProblem(Exception):
    """A refused API call; the blueprint's error handler turns it into problem+json and audits it."""

    slug: str
    detail: str = ""
    invalid_params: list[InvalidParam] = field(default_factory=list)
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.slug)

    @property
    def type(self) -> ProblemType:
        return PROBLEM_TYPES[self.slug]

    @property
    def status_code(self) -> int:
        return self.status or self.type.status


def type_uri(slug: str) -> str:
    return url_for("api.v1.documentation", _external=True) + f"#probleem-{slug}"


def problem_body(problem: ApiProblem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": type_uri(problem.slug),
        "title": problem.type.title,
        "status": problem.status_code,
        "detail": problem.detail or problem.type.description,
        "instance": request.path,
    }
    if problem.invalid_params:
        body["invalid-params"] = [p.as_dict() for p in problem.invalid_params]
    return body


def problem_response(problem: ApiProblem) -> Response:
    response = Response(json.dumps(problem_body(problem), ensure_ascii=False), status=problem.status_code,
                        mimetype=PROBLEM_JSON)
    for name, value in problem.headers.items():
        response.headers[name] = value
    return response


def invalid(name: str, reason: str, code: str = "invalid") -> ApiProblem:
    return ApiProblem("ongeldige-invoer", invalid_params=[InvalidParam(name, reason, code)])


# --- pydantic errors in Dutch ---------------------------------------------------------------------

# Tags of the discriminated unions in the request models: pydantic puts them in the error location
# ("verhuurvergunning", "details", "persons"); the client never wrote them as a field, so they go.
UNION_TAGS = frozenset({"seksinrichting", "escortbedrijf", "verhuurvergunning", "persoon", "organisatie", "adres",
                        "upsert", "delete"})


def field_name(loc: tuple[Any, ...]) -> str:
    """('parties', 0, 'persoon', 'bsn') -> 'parties[0].bsn'."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        elif part in UNION_TAGS or str(part).startswith("function-"):
            continue
        else:
            name += ("." if name else "") + str(part)
    return name or "(bericht)"


def _choices(ctx: dict[str, Any]) -> str:
    expected = str(ctx.get("expected", "") or ctx.get("expected_tags", ""))
    return expected.replace(" or ", " of ")


def dutch_reason(error: dict[str, Any]) -> str:
    """The Dutch reason for one pydantic error (by its stable ``type``, never its English message)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", "")) or "Deze waarde is ongeldig."
    if kind in ("literal_error", "enum"):
        return f"Kies een van: {_choices(ctx)}."
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return f"Kies een van: {_choices(ctx)}."
    if kind == "string_too_long":
        return f"Maximaal {ctx.get('max_length')} tekens."
    if kind == "string_too_short":
        return "Vul dit veld in." if ctx.get("min_length") == 1 else f"Minimaal {ctx.get('min_length')} tekens."
    if kind == "too_long":
        return f"Maximaal {ctx.get('max_length')} elementen."
    if kind == "too_short":
        return f"Minimaal {ctx.get('min_length')} element(en)."
    if kind in ("greater_than_equal", "greater_than"):
        return f"Vul een waarde van minstens {ctx.get('ge', ctx.get('gt'))} in."
    if kind in ("less_than_equal", "less_than"):
        return f"Vul een waarde van hoogstens {ctx.get('le', ctx.get('lt'))} in."
    return _SIMPLE.get(kind, "Deze waarde is ongeldig.")


_SIMPLE = {
    "missing": "Dit veld is verplicht.",
    "extra_forbidden": "Onbekend veld: dit veld hoort niet in het bericht.",
    "string_type": "Vul hier tekst in.",
    "string_pattern_mismatch": "Deze waarde heeft niet de juiste vorm.",
    "string_unicode": "Vul hier geldige tekst (UTF-8) in.",
    "int_type": "Vul hier een geheel getal in.",
    "int_parsing": "Vul hier een geheel getal in.",
    "int_from_float": "Vul hier een geheel getal in (zonder decimalen).",
    "float_type": "Vul hier een getal in.",
    "float_parsing": "Vul hier een getal in.",
    "finite_number": "Vul hier een eindig getal in.",
    "bool_type": "Vul hier true of false in.",
    "bool_parsing": "Vul hier true of false in.",
    "date_type": "Vul een datum in als JJJJ-MM-DD.",
    "date_parsing": "Vul een datum in als JJJJ-MM-DD.",
    "date_from_datetime_parsing": "Vul een datum in als JJJJ-MM-DD.",
    "date_from_datetime_inexact": "Vul een datum in als JJJJ-MM-DD (zonder tijd).",
    "dict_type": "Hier hoort een object ({...}).",
    "model_type": "Hier hoort een object ({...}).",
    "model_attributes_type": "Hier hoort een object ({...}).",
    "list_type": "Hier hoort een lijst ([...]).",
    "none_required": "Laat dit veld leeg.",
}


def from_validation_error(errors: list[dict[str, Any]], *, prefix: str = "") -> ApiProblem:
    params = []
    seen: set[tuple[str, str]] = set()
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if error.get("type") in ("union_tag_invalid", "union_tag_not_found"):
            # The tag itself is wrong or missing: name the field that carries it (permit_type, kind).
            loc = (*loc, str((error.get("ctx") or {}).get("discriminator", "")).strip("'"))
        name = field_name(loc)
        if prefix:
            name = prefix if name == "(bericht)" else f"{prefix}.{name}"
        reason = dutch_reason(error)
        if (name, reason) not in seen:
            seen.add((name, reason))
            params.append(InvalidParam(name, reason, str(error.get("type", "invalid"))))
    return ApiProblem("ongeldige-invoer", invalid_params=params)
