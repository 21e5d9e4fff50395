"""Submit an application as an e-form would: through the same forms and services as the wizard.

The request model (``schemas``) checks the shape; here each part is fed to the WTForms form of the
matching wizard step (``TypeForm``, ``PartyForm``, ``LocationForm``, the type's details form), so
a BSN, a postcode or a missing field gets exactly the Dutch message the web form gives, reported
under the JSON name of the field. Only when everything is valid do the services of
``barrier.applications`` run, in the wizard's order; they flush, the API's request boundary commits.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from barrier.api.auth import ApiActor
from barrier.api.problems import ApiProblem, InvalidParam
from barrier.api.schemas import (
    EscortApplication,
    HousingApplication,
    LocationIn,
    SexBusinessApplication,
)
from barrier.applications import services as app_services
from barrier.applications.formdata import address_of, party_of
from barrier.applications.services import ApplicationError
from barrier.db import db
from barrier.documents import DocumentError, sniff, store
from barrier.models import (
    Application,
    DocumentKind,
    Gemeente,
    PartyRole,
    PermitType,
)
from barrier.models.api import ApiClient
from forms.applications import (
    EscortDetailsForm,
    HousingDetailsForm,
    LocationForm,
    PartyForm,
    SexBusinessDetailsForm,
    TypeForm,
)

DETAIL_FORMS = {
    PermitType.SEKSINRICHTING: SexBusinessDetailsForm,
    PermitType.ESCORTBEDRIJF: EscortDetailsForm,
    PermitType.VERHUURVERGUNNING: HousingDetailsForm,
}
TYPE_LABELS = {"application/pdf": "een PDF", "image/jpeg": "een JPEG-afbeelding", "image/png": "een PNG-afbeelding"}

AnyApplication = SexBusinessApplication | EscortApplication | HousingApplication


# --- idempotency ----------------------------------------------------------------------------------

def body_hash(body: Any) -> str:
    """SHA-256 of the canonical JSON of the body: key order and whitespace do not matter."""
    import json

    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- forms as validators -----------------------------------------------------------------------------

def _formdata(values: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """JSON values as a browser would post them: dates ISO, booleans 'y' or absent, numbers as text."""
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        name = f"{prefix}{key}"
        if value is None or value is False:
            continue
        if value is True:
            pairs.append((name, "y"))
        elif isinstance(value, date):
            pairs.append((name, value.isoformat()))
        elif isinstance(value, Mapping):
            pairs += _formdata(value, f"{name}-")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                pairs += _formdata(item, f"{name}-{index}-") if isinstance(item, Mapping) else [(name, str(item))]
        else:
            pairs.append((name, str(value)))
    return pairs


def _errors(errors: Any, name: str) -> Iterable[InvalidParam]:
    """WTForms' nested errors ({'address': {'street': [...]}, 'rooms': [{}, {'beds': [...]}]}) per JSON name."""
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            yield from _errors(value, f"{name}.{key}" if name else str(key))
    elif isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        for message in errors:
            yield InvalidParam(name, message, "form")
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            yield from _errors(value, f"{name}[{index}]")


def _validated(form_class, values: Mapping[str, Any], name: str, problems: list[InvalidParam],
               rename: Mapping[str, str] | None = None, **form_kwargs):
    form = form_class(formdata=MultiDict(_formdata(values)), meta={"csrf": False}, **form_kwargs)
    if not form.validate():
        for param in _errors(form.errors, ""):
            field = param.name
            for old, new in (rename or {}).items():
                if field == old or field.startswith(old + "."):
                    field = new + field[len(old):]
                    break
            problems.append(InvalidParam(f"{name}.{field}" if name else field, param.reason, "form"))
    return form


def _party_values(party: Any, role: str) -> dict[str, Any]:
    values = party.model_dump(exclude={"address"})
    values["role"] = role
    values["address"] = party.address.model_dump() if party.address else {}
    return values


def _details_values(body: AnyApplication) -> dict[str, Any]:
    details = body.details.model_dump()
    if isinstance(body, EscortApplication):
        details["phone_numbers"] = "\n".join(details["phone_numbers"])
        details["websites"] = "\n".join(details["websites"])
    if isinstance(body, HousingApplication):
        details["landlord_is_employer"] = "ja" if details["landlord_is_employer"] else "nee"
    return details


def _location_values(location: LocationIn) -> dict[str, Any]:
    values = location.model_dump()
    return {"address": {k: values[k] for k in ("street", "house_number", "house_number_suffix", "postcode", "city")},
            "bag_id": values["bag_id"]}


# --- documents ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DecodedDocument:
    index: int
    kind: DocumentKind
    filename: str
    raw: bytes


def _decode_documents(body: AnyApplication, problems: list[InvalidParam]) -> list[DecodedDocument]:
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    decoded: list[DecodedDocument] = []
    seen: dict[str, int] = {}
    for index, document in enumerate(body.documents):
        name = f"documents[{index}]"
        try:
            raw = base64.b64decode(document.content, validate=True)
        except (binascii.Error, ValueError):
            problems.append(InvalidParam(f"{name}.content", "Dit is geen geldige base64 (RFC 4648, met opvulling).",
                                         "base64"))
            continue
        if len(raw) > limit:
            problems.append(InvalidParam(f"{name}.content", f"Het bestand is groter dan {limit // (1024 * 1024)} MB.",
                                         "too_large"))
            continue
        actual = sniff(raw[:16])
        if actual is None:
            problems.append(InvalidParam(f"{name}.content", "De inhoud is geen PDF, JPEG of PNG: het bestand is "
                                                            "niet wat het zegt te zijn.", "content_type"))
            continue
        if actual != document.content_type:
            problems.append(InvalidParam(f"{name}.content_type", f"De inhoud is {TYPE_LABELS[actual]}, niet "
                                                                 f"{TYPE_LABELS[document.content_type]} zoals "
                                                                 "content_type zegt.", "content_type"))
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest in seen:
            problems.append(InvalidParam(f"{name}.content", f"Dit bestand staat al in documents[{seen[digest]}].",
                                         "duplicate"))
            continue
        seen[digest] = index
        decoded.append(DecodedDocument(index, DocumentKind(document.kind), document.filename, raw))
    return decoded


def _attach(app: Application, document: DecodedDocument, actor: ApiActor) -> None:
    """Store the bytes and add the document, as the wizard's upload step does."""
    try:
        stored = store(io.BytesIO(document.raw), document.filename)
    except DocumentError as error:
        raise ApiProblem("ongeldige-invoer", invalid_params=[
            InvalidParam(f"documents[{document.index}].content", str(error), "document")]) from error
    try:
        app_services.attach_document(app, stored, kind=document.kind, actor=actor, via=" via API",
                                     client_id=actor.client_id)
    except ApplicationError as error:
        raise ApiProblem("ongeldige-invoer", invalid_params=[
            InvalidParam(f"documents[{document.index}].content", error.message, "document")]) from error


# --- the intake ----------------------------------------------------------------------------------------

def _gemeente(body: AnyApplication, client: ApiClient) -> Gemeente:
    if client.gemeente_id is not None:
        own = db.session.get(Gemeente, client.gemeente_id)
        if body.gemeente and body.gemeente != own.cbs_code:
            raise ApiProblem("onvoldoende-rechten", detail=f"Deze API-client dient alleen aanvragen in voor "
                                                           f"gemeente {own.name} ({own.cbs_code}).")
        return own
    if not body.gemeente:
        raise ApiProblem("ongeldige-invoer", invalid_params=[InvalidParam(
            "gemeente", "Vul de CBS-code van de gemeente in (bijv. GM0106): deze API-client is regionaal.", "missing")])
    gemeente = db.session.scalar(select(Gemeente).where(Gemeente.cbs_code == body.gemeente, Gemeente.is_active))
    if gemeente is None:
        raise ApiProblem("ongeldige-invoer", invalid_params=[InvalidParam(
            "gemeente", "Onbekende gemeente: gebruik de CBS-code van een gemeente van de regio.", "unknown")])
    return gemeente


def submit_application(body: AnyApplication, *, client: ApiClient, actor: ApiActor, today: date
                       ) -> tuple[Application, list[app_services.Missing]]:
    """Validate everything first (nothing is stored on a refusal), then run the wizard's services."""
    gemeente = _gemeente(body, client)
    problems: list[InvalidParam] = []
    permit_type = PermitType(body.permit_type)
    type_form = _validated(TypeForm, {
        "permit_type": body.permit_type, "sub_type": getattr(body, "sub_type", ""),
        "trade_name": body.trade_name, "received_on": body.received_on}, "", problems)
    applicant_form = _validated(PartyForm, _party_values(body.applicant, "aanvrager"), "applicant", problems)
    party_forms = []
    for index, party in enumerate(body.parties):
        form = _validated(PartyForm, _party_values(party, party.role), f"parties[{index}]", problems)
        party_forms.append(form)
    location_form = None
    if body.location is not None:
        location_form = _validated(LocationForm, _location_values(body.location), "location", problems,
                                   rename={"address": ""})
    details_form = _validated(DETAIL_FORMS[permit_type], _details_values(body), "details", problems)
    documents = _decode_documents(body, problems)
    if problems:
        raise ApiProblem("ongeldige-invoer", invalid_params=_tidy(problems))

    app = app_services.new_application(actor=actor, gemeente_id=gemeente.id, permit_type=permit_type,
                                       sub_type=type_form.sub_type.data or "", trade_name=type_form.trade_name.data or "",
                                       received_on=type_form.received_on.data)
    for name, form in (("applicant", applicant_form),
                       *((f"parties[{i}]", f) for i, f in enumerate(party_forms))):
        try:
            person, organisation = party_of(form)
            app_services.add_party(
                app, role=PartyRole(form.role.data), person=person, organisation=organisation, since=form.since.data,
                percentage=float(form.percentage.data) if form.percentage.data is not None else None,
                amount_eur=float(form.amount_eur.data) if form.amount_eur.data is not None else None,
                notes=form.notes.data or "", actor=actor)
        except ApplicationError as error:
            raise _service_problem(error, name) from error
    try:
        if location_form is not None:
            app_services.set_location(app, address_of(location_form.address.form),
                                      bag_id=location_form.bag_id.data or None, actor=actor)
        app_services.set_details(app, details_form.data, actor=actor)
    except ApplicationError as error:
        raise _service_problem(error, "") from error
    for document in documents:
        _attach(app, document, actor)
    try:
        missing = app_services.submit(app, actor=actor, today=today)
    except ApplicationError as error:
        raise _service_problem(error, "") from error
    return app, missing


def _tidy(problems: list[InvalidParam]) -> list[InvalidParam]:
    """Drop exact duplicates, keep the order of the request."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for param in problems:
        name = param.name.replace("..", ".").strip(".")
        if (name, param.reason) not in seen:
            seen.add((name, param.reason))
            unique.append(InvalidParam(name, param.reason, param.code))
    return unique


def _service_problem(error: ApplicationError, prefix: str) -> ApiProblem:
    name = ".".join(part for part in (prefix, error.field or "") if part) or "(bericht)"
    return ApiProblem("ongeldige-invoer", invalid_params=[InvalidParam(name, error.message, "rule")])
