"""The /api/v1 endpoints. Thin: the decorator authenticates and commits, services do the work."""

from __future__ import annotations

import logging
import math
from datetime import date

from flask import current_app, g, jsonify, render_template, request, url_for
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from barrier import audit
from barrier.api import intake, register_api, services, v1
from barrier.api.auth import actor_for, current_client, require_scope
from barrier.api.docs import render_operations
from barrier.api.problems import PROBLEM_TYPES, ApiProblem, problem_response
from barrier.api.schemas import (
    ApplicationIn,
    ApplicationListQuery,
    ApplicationPage,
    ApplicationStatusOut,
    EventsPage,
    EventsQuery,
    IdempotencyHeaders,
    Problem,
    RegisterLine,
    RegisterSyncOut,
    RegisterVersionOut,
    ScreeningOut,
    ScreeningRequest,
)
from barrier.api.spec import SECURITY, json_lines_body, openapi_document, responses, spec
from barrier.auth.permissions import public
from barrier.db import db
from barrier.models.api import ApiScope
from barrier.register import services as register_services
from screening.matching import ENGINE_VERSION

log = logging.getLogger(__name__)


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


@v1.before_request
def _no_session_identity() -> None:
    """API calls are authenticated by their key only: a browser's session cookie counts for nothing."""
    g._login_user = AnonymousUserMixin()


# --- documentation ------------------------------------------------------------------------------------

@v1.get("/openapi.json")
@public
def openapi():
    response = jsonify(openapi_document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@v1.get("/docs")
@public
def documentation():
    document = openapi_document()
    return render_template("api/docs.html", document=document, operations=render_operations(document),
                           problem_types=PROBLEM_TYPES.values())


# --- applications ---------------------------------------------------------------------------------------

@v1.post("/applications")
@require_scope(ApiScope.APPLICATIONS_WRITE, body="json")
@spec.validate(json=ApplicationIn, headers=IdempotencyHeaders, tags=["Aanvragen"], security=SECURITY,
               operation_id="submitApplication",
               resp=responses(body=True, HTTP_201=(ApplicationStatusOut, "Ingediend (of herhaald: eerste antwoord)"),
                              HTTP_409=(Problem, "Een verzoek met deze Idempotency-Key loopt nog")))
def submit_application(json: ApplicationIn, headers: IdempotencyHeaders):
    """Een aanvraag indienen

    Zoals een e-formulier: aanvrager, betrokkenen, locatie, gegevens per soort vergunning en
    documenten (base64). Dezelfde controles als het webformulier, per veld gemeld. Met dezelfde
    Idempotency-Key geeft een herhaling het eerste antwoord terug (header Idempotent-Replayed);
    dezelfde sleutel met een ander bericht geeft 422.
    """
    client = current_client()
    claimed = services.claim(client.id, headers.idempotency_key, "submit_application",
                             intake.body_hash(request.get_json()))
    if isinstance(claimed, services.Replay):
        return claimed.body, claimed.status, {"Idempotent-Replayed": "true", "Location": claimed.body["links"]["self"]}
    app, _missing = intake.submit_application(json.root, client=client, actor=actor_for(client), today=_today())
    body = services.application_status(app, today=_today())
    services.complete(claimed, 201, body)
    return body, 201, {"Location": body["links"]["self"]}


@v1.get("/applications")
@require_scope(ApiScope.APPLICATIONS_READ)
@spec.validate(query=ApplicationListQuery, tags=["Aanvragen"], security=SECURITY, operation_id="listApplications",
               resp=responses(HTTP_200=ApplicationPage))
def list_applications(query: ApplicationListQuery):
    """Aanvragen van de gemeente van de client

    Nieuwste eerst, per pagina (page, pageSize); links wijzen naar de andere pagina's.
    """
    client = current_client()
    stmt = services.applications_query(client, query.status)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    last = max(1, math.ceil(total / query.pageSize))
    rows = db.session.scalars(stmt.offset((query.page - 1) * query.pageSize).limit(query.pageSize)).all()

    def link(page: int) -> str:
        args = {"page": page, "pageSize": query.pageSize, **({"status": query.status} if query.status else {})}
        return url_for("api.v1.list_applications", _external=True, **args)

    return {
        "applications": [services.application_status(app, today=_today()) for app in rows],
        "page": query.page, "pageSize": query.pageSize, "total": total,
        "links": {"self": link(query.page), "first": link(1), "last": link(last),
                  "prev": link(query.page - 1) if query.page > 1 else None,
                  "next": link(query.page + 1) if query.page < last else None},
    }


@v1.get("/applications/<string(maxlength=30):reference>")
@require_scope(ApiScope.APPLICATIONS_READ)
@spec.validate(tags=["Aanvragen"], security=SECURITY, operation_id="getApplication",
               path_parameter_descriptions={"reference": "Kenmerk van de aanvraag, bijv. 0106-2026-00042"},
               resp=responses(HTTP_200=ApplicationStatusOut, HTTP_404=(Problem, "Geen aanvraag met dit kenmerk")))
def get_application(reference: str):
    """De status van een aanvraag

    Status, uiterste beslisdatum en wat er nog ontbreekt, voor een zaaksysteem of portaal. Nooit de
    inhoud van een Bibob-onderzoek.
    """
    return services.application_status(services.application_for(current_client(), reference), today=_today())


# --- events -----------------------------------------------------------------------------------------------

@v1.get("/events")
@require_scope(ApiScope.APPLICATIONS_READ)
@spec.validate(query=EventsQuery, tags=["Gebeurtenissen"], security=SECURITY, operation_id="listEvents",
               resp=responses(HTTP_200=EventsPage))
def list_events(query: EventsQuery):
    """Gebeurtenissen sinds een cursor

    Ingediende aanvragen, statuswijzigingen en besluiten (en, met scope screening:match, nieuwe
    treffers), oudste eerst. Bewaar next_cursor en vraag daarmee de volgende keer verder.
    """
    client = current_client()
    rows, cursor = services.events_after(client, query.since, query.limit)
    codes = services.gemeente_codes()
    return {"events": [services.event_out(event, codes) for event in rows], "next_cursor": cursor,
            "links": {"self": request.url, "next": url_for("api.v1.list_events", since=cursor, limit=query.limit,
                                                           _external=True)}}


# --- register and screening ---------------------------------------------------------------------------

@v1.get("/register")
@require_scope(ApiScope.REGISTER_WRITE)
@spec.validate(tags=["Register"], security=SECURITY, operation_id="getRegisterVersion",
               resp=responses(HTTP_200=RegisterVersionOut))
def register_version():
    """De huidige versie van het register

    Elke wijziging van het register geeft een nieuwe versie; een synchronisatie geeft de versie terug
    die zij maakte.
    """
    return {"register_version": register_services.current_version(), "engine_version": ENGINE_VERSION}


@v1.post("/register/sync")
@require_scope(ApiScope.REGISTER_WRITE, body="jsonl")
@spec.validate(tags=["Register"], security=SECURITY, operation_id="syncRegister",
               resp=responses(body=True, HTTP_200=RegisterSyncOut))
def sync_register():
    """Het register bijwerken (JSON Lines, alles-of-niets)

    Eén regel per registratie: {"op": "upsert", "external_id": ..., ...} voegt toe of werkt bij,
    {"op": "delete", "external_id": ..., "reason": ...} haalt eruit. Dezelfde controles als de
    CSV-import; één foute regel en er verandert niets (422, elke fout als lines[regelnummer].veld).
    """
    client = current_client()
    result = register_api.sync(g.api_json_lines, client=client, actor=actor_for(client), body=request.get_data(),
                               today=_today())
    return {"register_version": result.register_version, "created": result.created, "updated": result.updated,
            "deleted": result.deleted, "lines": result.lines}


json_lines_body("syncRegister", RegisterLine,
                "JSON Lines (application/jsonl): per regel één RegisterUpsert of RegisterDelete.")


@v1.post("/screening")
@require_scope(ApiScope.SCREENING_MATCH, body="json")
@spec.validate(json=ScreeningRequest, tags=["Screening"], security=SECURITY, operation_id="screen",
               resp=responses(body=True, HTTP_200=ScreeningOut))
def screen(json: ScreeningRequest):
    """Personen, organisaties of adressen screenen

    Tot 50 onderwerpen per verzoek. Per onderwerp de treffers met score (0 tot 1) en uitleg.
    Details alleen van regionale registraties; van vertrouwelijke ziet u de score, de soort en de
    registrerende gemeente. Elke screening staat in het auditlog.
    """
    result, g.api_audit = register_api.screen(json.subjects, today=_today())
    return result


# --- unknown addresses and errors -------------------------------------------------------------------

@v1.before_app_request
def _routing_problems() -> None:
    """An unknown /api/v1 address or method is a problem+json too, not the HTML error page.

    Routing fails before any blueprint is known, so this hook (run for every request, before the
    routing error is raised) turns the error into an ApiProblem, handled app-wide below.
    """
    error = request.routing_exception
    if error is None or not (request.path == "/api/v1" or request.path.startswith("/api/v1/")):
        return
    if isinstance(error, MethodNotAllowed):
        raise ApiProblem("methode-niet-toegestaan", headers={"Allow": ", ".join(sorted(error.valid_methods or []))},
                         detail=f"{request.method} is hier niet toegestaan.")
    if isinstance(error, NotFound):
        raise ApiProblem("niet-gevonden", detail="Dit adres bestaat niet in /api/v1; zie /api/v1/docs.")


def _audit_refusal(problem: ApiProblem) -> None:
    client = g.get("api_client")
    try:
        audit.record_now(
            "api.refused", object_type="api_clients", object_id=client.id if client else None,
            gemeente_id=client.gemeente_id if client else None, actor=actor_for(client) if client else None,
            client_id=client.id if client else None, client_name=client.name if client else "",
            key_prefix=g.get("api_key_prefix", ""), method=request.method, endpoint=request.endpoint or "",
            path=request.path[:200], status=problem.status_code, problem=problem.slug,
            reason=(problem.detail or problem.type.title)[:300],
            fields=[p.name for p in problem.invalid_params][:50])
    except Exception:  # the answer must not fail because the audit log could not be written
        log.exception("could not audit a refused API call")
        db.session.rollback()


# On the blueprint (so it wins over the blueprint's catch-all Exception handler) and on the app
# (for the routing problems raised before any blueprint is known).
@v1.errorhandler(ApiProblem)
@v1.app_errorhandler(ApiProblem)
def api_problem(problem: ApiProblem):
    _audit_refusal(problem)
    return problem_response(problem)


HTTP_PROBLEMS = {400: "ongeldige-json", 404: "niet-gevonden", 405: "methode-niet-toegestaan", 413: "te-groot",
                 415: "mediatype-niet-ondersteund", 429: "te-veel-verzoeken"}


@v1.errorhandler(HTTPException)
def http_problem(error: HTTPException):
    status = error.code or 500
    problem = ApiProblem(HTTP_PROBLEMS.get(status, "interne-fout" if status >= 500 else "ongeldige-json"),
                         status=status)
    if status == 429:
        problem.detail = f"De limiet van deze API-client is bereikt ({error.description}); Retry-After zegt wanneer het weer kan."
    if status == 413:
        problem.detail = f"Het bericht is groter dan {current_app.config['MAX_CONTENT_LENGTH'] // (1024 * 1024)} MB."
    if status == 405 and getattr(error, "valid_methods", None):
        problem.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    _audit_refusal(problem)
    return problem_response(problem)


@v1.errorhandler(OperationalError)
def database_unavailable(error: OperationalError):
    log.error("database error on %s %s: %s", request.method, request.path, error)
    db.session.rollback()
    return problem_response(ApiProblem("opslag-niet-beschikbaar"))


@v1.errorhandler(Exception)
def unexpected(error: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    problem = ApiProblem("interne-fout")
    _audit_refusal(problem)
    return problem_response(problem)
