"""Register sync and screening for API clients, on the register area's own services.

* **Sync** (JSON Lines): each upsert line becomes a row of the register's CSV importer (the same
  ``RowParser`` checks and entry rules, the same dry run, the same all-or-nothing ``commit`` with
  one register version); deletes go through ``delete_entity``. Any wrong line refuses the whole
  body, each problem named ``lines[<line number>].<field>``.
* **Screening**: the records are built with the register's own record mapping and matched on the
  per-process index cache (``barrier.register.index.current_index``); nothing is re-implemented.
  Confidentiality: a machine client is no Bibob-coördinator, so it sees the details of
  ``regionaal`` entries only. For other entries it learns that there is a hit, its score, the
  kind and the recording gemeente (to ask them), exactly what a reviewer without need-to-know
  sees in the web (``register.access``); nothing more.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from barrier import crypto
from barrier.api.auth import ApiActor
from barrier.api.problems import ApiProblem, InvalidParam, from_validation_error
from barrier.api.schemas import RegisterDelete, RegisterLine, RegisterUpsert, ScreenAddress, ScreenOrganisation
from barrier.db import db
from barrier.models import Gemeente
from barrier.models.api import ApiClient
from barrier.models.register import Confidentiality, EntityKind, RegisterImport, RiskEntity
from barrier.register import importer
from barrier.register import services as register_services
from barrier.register.index import current_index
from barrier.register.records import entity_record_from_row
from forms.validators import InvalidValue, clean_bsn, clean_house_number, clean_kvk, clean_postcode
from screening.matching import ENGINE_VERSION, Hit

#: The importer's columns, in order; a JSON line fills them by name.
COLUMNS = ("external_id", "kind", "given_names", "surname_prefix", "surname", "birth_date", "nationality", "bsn",
           "name", "legal_form", "kvk_number", "street", "house_number", "house_number_suffix", "postcode", "city",
           "country", "source", "reason", "gemeente", "recorded_on", "valid_until", "confidentiality")
_CHUNK = 1000


@dataclass(frozen=True)
class SyncResult:
    register_version: int
    created: int
    updated: int
    deleted: int
    lines: int


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _entities_by_external_id(external_ids: list[str]) -> dict[str, RiskEntity]:
    found: dict[str, RiskEntity] = {}
    for start in range(0, len(external_ids), _CHUNK):
        chunk = external_ids[start:start + _CHUNK]
        for entity in db.session.scalars(select(RiskEntity).where(RiskEntity.external_id.in_(chunk))):
            found[entity.external_id] = entity
    return found


def sync(lines: list[tuple[int, Any]], *, client: ApiClient, actor: ApiActor, body: bytes, today: date) -> SyncResult:
    """Apply a JSON Lines sync all-or-nothing, or raise ApiProblem naming every wrong line and field."""
    problems: list[InvalidParam] = []
    upserts: list[tuple[int, RegisterUpsert]] = []
    deletes: list[tuple[int, RegisterDelete]] = []
    if not lines:
        raise ApiProblem("ongeldige-invoer", invalid_params=[InvalidParam("lines", "Het bericht bevat geen regels.",
                                                                          "empty")])
    for number, value in lines:
        try:
            line = RegisterLine.model_validate(value).root
        except ValidationError as error:
            problems += from_validation_error(error.errors(include_url=False), prefix=f"lines[{number}]").invalid_params
            continue
        (upserts if isinstance(line, RegisterUpsert) else deletes).append((number, line))
    own = db.session.get(Gemeente, client.gemeente_id) if client.gemeente_id else None
    first_line: dict[str, int] = {}
    for number, line in [*upserts, *deletes]:
        if line.external_id in first_line:
            problems.append(InvalidParam(f"lines[{number}].external_id", f"Extern id '{line.external_id[:60]}' staat "
                                         f"ook op regel {first_line[line.external_id]}.", "duplicate"))
        else:
            first_line[line.external_id] = number
        if own is not None and isinstance(line, RegisterUpsert) and line.gemeente not in (None, "", own.cbs_code):
            problems.append(InvalidParam(f"lines[{number}].gemeente", f"Deze API-client legt alleen registraties vast "
                                         f"voor gemeente {own.name} ({own.cbs_code}).", "gemeente"))
    existing = _entities_by_external_id([line.external_id for _n, line in [*upserts, *deletes]])
    for number, line in [*upserts, *deletes]:
        entity = existing.get(line.external_id)
        if isinstance(line, RegisterDelete) and not line.reason.strip():
            # delete_entity refuses a blank reason; checked here with the rest, not half-way through the writes.
            problems.append(InvalidParam(f"lines[{number}].reason", "Geef aan waarom de registratie wordt verwijderd.",
                                         "missing"))
        if isinstance(line, RegisterDelete) and (entity is None or entity.is_deleted):
            problems.append(InvalidParam(f"lines[{number}].external_id", "Er is geen (actieve) registratie met dit "
                                         "externe id.", "not_found"))
        elif entity is not None and own is not None and entity.gemeente_id != own.id:
            problems.append(InvalidParam(f"lines[{number}].external_id", "Deze registratie hoort niet bij de gemeente "
                                         "van deze API-client.", "gemeente"))

    report = None
    table = None
    if upserts:  # checked even when other lines are wrong, so the answer names every problem at once
        rows = [(number, [_cell(getattr(line, column)) for column in COLUMNS]) for number, line in upserts]
        table = importer.Table(file_format="jsonl", encoding="utf-8", delimiter="", headers=list(COLUMNS),
                               row_estimate=len(rows), ends_with_newline=True, _rows=lambda: iter(rows))
        mapping = {column: column for column in COLUMNS}
        defaults = importer.Defaults(gemeente_id=client.gemeente_id)
        report = importer.dry_run(table, mapping, defaults, today=today)
        for message in report.file_errors:
            problems.append(InvalidParam("lines", message, "file"))
        for problem in report.errors:
            name = f"lines[{problem.line}]" + (f".{problem.column}" if problem.column else "")
            problems.append(InvalidParam(name, problem.message, "rule"))
        if report.error_count > len(report.errors):
            problems.append(InvalidParam("lines", f"En nog {report.error_count - len(report.errors)} fouten.", "more"))
    if problems:
        unique = list({(p.name, p.reason): p for p in problems}.values())
        raise ApiProblem("ongeldige-invoer", invalid_params=unique,
                         detail="Er is niets gewijzigd: het register wordt alleen in zijn geheel bijgewerkt.")

    created = updated = 0
    if table is not None and report is not None:
        record = RegisterImport(original_filename=f"API: {client.name}"[:255],
                                sha256=hashlib.sha256(body).hexdigest(), size_bytes=len(body), file_format="jsonl",
                                gemeente_id=client.gemeente_id, uploaded_by_id=None)
        db.session.add(record)
        db.session.flush()
        done = importer.commit(table, mapping, defaults, today=today, actor=actor, record=record, checked=report)
        created, updated = done.to_create, done.to_update
    for _number, line in deletes:
        register_services.delete_entity(existing[line.external_id], actor=actor, reason=line.reason)
    return SyncResult(register_version=register_services.current_version(), created=created, updated=updated,
                      deleted=len(deletes), lines=len(lines))


# --- screening ---------------------------------------------------------------------------------------------

def _clean(value: str, cleaner, name: str, problems: list[InvalidParam]) -> str:
    if not value:
        return ""
    try:
        return cleaner(value)
    except InvalidValue as error:
        problems.append(InvalidParam(name, str(error), "form"))
        return ""


def _address_values(address: Any, name: str, problems: list[InvalidParam]) -> dict[str, str]:
    if address is None:
        return {"street": "", "house_number": "", "house_number_suffix": "", "postcode": "", "city": "", "country": "NL"}
    country = (getattr(address, "country", "NL") or "NL").upper()
    postcode = address.postcode
    if postcode and country == "NL":
        postcode = _clean(postcode, clean_postcode, f"{name}.postcode", problems)
    return {"street": address.street, "house_number": _clean(address.house_number, clean_house_number,
                                                             f"{name}.house_number", problems),
            "house_number_suffix": address.house_number_suffix, "postcode": postcode, "city": address.city,
            "country": country}


def engine_record(subject: Any, index: int, problems: list[InvalidParam]) -> Any:
    """The engine record of one subject, made by the register's own row mapping (same identifiers)."""
    name = f"subjects[{index}]"
    if isinstance(subject, ScreenAddress):
        values = _address_values(subject, name, problems)
        if not (values["house_number"] and (values["postcode"] or (values["street"] and values["city"]))):
            problems.append(InvalidParam(name, "Een adres heeft een postcode en huisnummer, of een straat, huisnummer "
                                               "en plaats.", "address"))
        return entity_record_from_row(SimpleNamespace(
            id=f"q{index}", kind=EntityKind.ADDRESS.value, given_names="", surname_prefix="", surname="",
            birth_date=None, nationality="", bsn_digest=None, name="", legal_form="", kvk_number="", **values))
    values = _address_values(subject.address, f"{name}.address", problems)
    if isinstance(subject, ScreenOrganisation):
        kvk = _clean(subject.kvk_number, clean_kvk, f"{name}.kvk_number", problems)
        if not (subject.name.strip() or kvk):
            problems.append(InvalidParam(f"{name}.name", "Vul de naam of het KvK-nummer van de organisatie in.",
                                         "missing"))
        return entity_record_from_row(SimpleNamespace(
            id=f"q{index}", kind=EntityKind.ORGANISATION.value, given_names="", surname_prefix="", surname="",
            birth_date=None, nationality="", bsn_digest=None, name=subject.name, legal_form=subject.legal_form,
            kvk_number=kvk, **values))
    bsn = _clean(subject.bsn, clean_bsn, f"{name}.bsn", problems)
    return entity_record_from_row(SimpleNamespace(
        id=f"q{index}", kind=EntityKind.PERSON.value, given_names=subject.given_names,
        surname_prefix=subject.surname_prefix, surname=subject.surname, birth_date=subject.birth_date,
        nationality=subject.nationality, bsn_digest=crypto.digest(bsn) if bsn else None, name="", legal_form="",
        kvk_number="", **values))


def client_sees_details(entity: RiskEntity) -> bool:
    """A machine client has no need-to-know of its own: details of regional entries only."""
    return entity.confidentiality is Confidentiality.REGIONAAL


def _hit_out(hit: Hit, entity: RiskEntity) -> dict[str, Any]:
    visible = client_sees_details(entity)
    where = entity.gemeente.name if entity.gemeente else None
    out = {
        "score": round(float(hit.score), 4), "kind": entity.kind.value, "confidential": not visible,
        "recording_gemeente": where,
        "label": entity.display_name if visible else register_services.masked_label(entity),
        "explanation": hit.explanation if visible else (
            f"Mogelijke treffer op een vertrouwelijke registratie; de details zijn alleen voor de "
            f"Bibob-coördinatoren van {where or 'de regio'}. Neem contact met hen op."),
        "entry": None, "features": [],
    }
    if visible:
        out["entry"] = {"external_id": entity.external_id, "label": entity.display_name,
                        "source": entity.source.value, "source_label": entity.source.label, "reason": entity.reason,
                        "recorded_on": entity.recorded_on.isoformat(),
                        "valid_until": entity.valid_until.isoformat() if entity.valid_until else None}
        out["features"] = [{"label": f.label, "query_value": f.query_value or "", "register_value": f.register_value or "",
                            "contribution": round(float(f.contribution), 4)} for f in hit.features]
    return out


def screen(subjects: list[Any], *, today: date) -> tuple[dict[str, Any], dict[str, Any]]:
    """Match each subject on the register index: the answer, and the audit details of the call (the
    number of subjects and hits, which entries were shown and which masked; never the queried names)."""
    problems: list[InvalidParam] = []
    records = [engine_record(subject, i, problems) for i, subject in enumerate(subjects)]
    if problems:
        raise ApiProblem("ongeldige-invoer", invalid_params=problems)
    index = current_index()
    matches = [index.match(record, today=today) for record in records]
    ids = {int(hit.entity_id) for hits in matches for hit in hits}
    entities = {e.id: e for e in db.session.scalars(
        select(RiskEntity).where(RiskEntity.id.in_(ids)).options(joinedload(RiskEntity.gemeente)))} if ids else {}
    results = []
    shown: list[int] = []
    masked: list[int] = []
    for i, (subject, hits) in enumerate(zip(subjects, matches, strict=True)):
        out = []
        for hit in hits:
            entity = entities.get(int(hit.entity_id))
            if entity is None:
                continue  # deleted since the index was built
            (shown if client_sees_details(entity) else masked).append(entity.id)
            out.append(_hit_out(hit, entity))
        results.append({"ref": subject.ref, "index": i, "hits": out})
    audit_details = {"action": "api.screened", "subjects": len(subjects), "hits": len(shown) + len(masked),
                     "entities_shown": sorted(set(shown))[:200], "entities_masked": sorted(set(masked))[:200],
                     "register_version": index.version}
    return {"register_version": index.version, "engine_version": ENGINE_VERSION, "results": results}, audit_details
