"""The whole app under load: gunicorn on PostgreSQL, a big database, a load client on loopback.

``python -m benchmarks.load [--applications 100000] [--register 1000000] [--duration 60] [--concurrency 8]``
(``--quick``: 2,000 applications, 20,000 register entries, 15 s; a smoke run in under two minutes).

What it does, per run (issue 7, item 4):

1. creates a private PostgreSQL database ``barrier_load_<pid>`` on ``--pg`` (default
   ``postgresql://postgres@127.0.0.1:5432``), runs the migrations with ``flask --app wsgi db upgrade``
   and loads it with COPY (psycopg), never row by row through the ORM: users of every role in each of
   the twelve gemeenten, ``--applications`` applications spread over gemeenten (by population),
   permit types and statuses, with their persons, organisations, addresses, timeline events, clock
   events, documents (metadata), permits, ``deadline_on`` from the deadline engine and ``search_text``
   as the services write them, and a ``--register`` entry risk register (the seeded Dutch/foreign name
   generator of ``benchmarks.matching``) with its ``RegisterVersion`` row, as an import leaves it.
   A few per cent of the parties are variants of register entries; their applications carry
   ``register_hits`` (open when the application is open, reviewed otherwise). Then ANALYZE;
2. starts gunicorn with the production settings (``barrier/gunicorn_conf.py``: cores + 1 sync
   workers; the master builds the register index and the workers fork from it and share it) on a
   free loopback port, waits for ``/gezondheid`` and reports how long that took, checks that every
   worker answers a screening at once, and reports each worker's RSS and the PSS of master and
   workers together (shared pages counted once). ``--no-preload`` makes every worker build its own
   index, ``--workers``/``--threads`` compare other set-ups;
3. runs the load client in a *second process* (``--load-client``, stdlib ``http.client`` over
   keep-alive connections, ``--concurrency`` threads, no think time): it logs in as a
   vergunningverlener and a Bibob-coördinator of Emmen and of Assen (login form, CSRF token, same-origin
   Referer) and requests a weighted mix of routes for ``--duration`` seconds;
4. prints one markdown table per run: per route requests, errors, requests/s, p50/p95/p99 latency;
   the run's error count, the workers' CPU per request and the load average during the run.

The routes (weights in ``ROUTES``): the applications list (default, open, due within 14 days,
other sorts, pages deep into the list), search (``?q=`` a surname, a company word, a KvK number,
a postcode, a reference), an application's page, the screening of one application's parties and
location through ``POST /api/v1/screening`` (an API client with ``screening:match``), and the
Bibob-coördinator's pages: an application page with its register hits, the hits list, and the
register search (literal SQL search plus the engine).

The database is dropped at the end unless ``--keep``. The machine's other load is printed with
the numbers: on a shared 2-core machine, wall-clock latency includes waiting for a core.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.client
import json
import logging
import math
import multiprocessing
import os
import random
import re
import secrets
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Barrier-load-2026"  # noqa: S105 - synthetic accounts of a throw-away database
SECRET_KEY = "barrier-load-benchmark"  # noqa: S105
TARGET_P95_MS = 150.0

# Route name -> (weight in the mix, who requests it, whether the p95 target applies, in the default mix).
# The register search page is measured on its own (--routes "register search (Bibob)"): with a 1M
# register every view of it counts the whole register, which would crowd out the rest of the mix.
ROUTES: dict[str, tuple[int, str, bool, bool]] = {
    "list": (30, "vv", True, True),
    "search": (15, "vv", True, True),
    "detail": (30, "vv", True, True),
    "screening (API)": (10, "api", False, True),
    "detail (Bibob)": (10, "bibob", True, True),
    "hits list (Bibob)": (5, "bibob", True, True),
    "register search (Bibob)": (10, "bibob", False, False),
}
NEEDS_INDEX = {"screening (API)", "register search (Bibob)"}

# Inhabitants (CBS, rounded): applications are spread over the gemeenten in proportion.
POPULATION = {
    "Aa en Hunze": 25_800, "Assen": 69_000, "Borger-Odoorn": 25_700, "Coevorden": 35_800, "De Wolden": 24_600,
    "Emmen": 108_000, "Hoogeveen": 56_000, "Meppel": 35_000, "Midden-Drenthe": 33_700, "Noordenveld": 32_900,
    "Tynaarlo": 34_600, "Westerveld": 19_900,
}
LOGIN_GEMEENTEN = ("Emmen", "Assen")

STATUS_WEIGHTS = {
    "concept": 3, "ontvangen": 3, "in_behandeling": 5, "aanvulling_gevraagd": 2, "bibob_onderzoek": 2,
    "voornemen_weigeren": 0.5, "zienswijze": 0.5, "verleend": 55, "verleend_met_voorschriften": 15,
    "geweigerd": 5, "buiten_behandeling": 5, "ingetrokken": 4,
}
OPEN = {"ontvangen", "in_behandeling", "aanvulling_gevraagd", "bibob_onderzoek", "voornemen_weigeren", "zienswijze"}
# The statuses an application passed on its way to its current one (timeline events).
PATH = {
    "ontvangen": [], "in_behandeling": ["in_behandeling"], "aanvulling_gevraagd": ["aanvulling_gevraagd"],
    "bibob_onderzoek": ["in_behandeling", "bibob_onderzoek"],
    "voornemen_weigeren": ["in_behandeling", "bibob_onderzoek", "voornemen_weigeren"],
    "zienswijze": ["in_behandeling", "bibob_onderzoek", "voornemen_weigeren", "zienswijze"],
    "verleend": ["in_behandeling"], "verleend_met_voorschriften": ["in_behandeling"],
    "geweigerd": ["in_behandeling", "bibob_onderzoek", "voornemen_weigeren"],
    "buiten_behandeling": ["aanvulling_gevraagd"], "ingetrokken": ["in_behandeling"],
}
DECIDED = {"verleend", "verleend_met_voorschriften", "geweigerd", "buiten_behandeling", "ingetrokken"}
TYPE_WEIGHTS = {"seksinrichting": 35, "escortbedrijf": 15, "verhuurvergunning": 50}
SEX_KINDS = ["prostitutiebedrijf", "raamprostitutie", "club", "massagesalon", "parenclub", "seksbioscoop", "sekstheater"]


# --- PostgreSQL ------------------------------------------------------------------------------------

def _database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}/{name}"


def _admin(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_database_url(base, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def create_database(base: str, name: str) -> str:
    _admin(base, f'CREATE DATABASE "{name}"')
    return _database_url(base, name)


def drop_database(base: str, name: str) -> None:
    _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(url: str, instance: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=PROJECT_ROOT,
                   env={**_server_env(url, instance)}, check=True, capture_output=True)
    return time.perf_counter() - started


def _server_env(url: str, instance: Path) -> dict[str, str]:
    return {**os.environ, "BARRIER_DATABASE_URL": url, "BARRIER_SECRET_KEY": SECRET_KEY,
            "BARRIER_SESSION_COOKIE_SECURE": "0", "BARRIER_HSTS": "0", "BARRIER_INSTANCE_PATH": str(instance)}


# --- the data ------------------------------------------------------------------------------------------

@dataclass
class Plan:
    """What the load client requests, made while the data is generated."""

    gemeente_of_user: dict[str, str] = field(default_factory=dict)  # e-mail -> gemeente name
    details: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))       # gemeente -> ids
    bibob_details: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # with hits
    search_terms: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    register_terms: list[str] = field(default_factory=list)
    screening_bodies: list[str] = field(default_factory=list)
    api_key: str = ""
    database: str = ""


class Copier:
    """COPY rows into tables, timing each table."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.seconds: dict[str, float] = defaultdict(float)
        self.rows: dict[str, int] = defaultdict(int)

    def copy(self, table: str, columns: tuple[str, ...], rows) -> None:
        started = time.perf_counter()
        n = 0
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        self.seconds[table] += time.perf_counter() - started
        self.rows[table] += n


def _postcode(raw: str) -> str:
    raw = raw.replace(" ", "").upper()
    return f"{raw[:4]} {raw[4:6]}" if len(raw) == 6 else raw[:10]


def _jsonb(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Loader:
    """Generates and COPYs the whole database; keeps what the load plan needs."""

    def __init__(self, conn, n_apps: int, n_register: int, seed: int) -> None:
        self.conn = conn
        self.copier = Copier(conn)
        self.n_apps, self.n_register = n_apps, n_register
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = date.today()  # noqa: DTZ011 - the server's local date, as the app uses
        self.now = datetime.now(UTC)
        self.plan = Plan()
        self.timings: dict[str, float] = {}

    # -- reference data --------------------------------------------------------------------------

    def users(self) -> None:
        from barrier.auth.services import hash_password

        rows = self.conn.execute("SELECT id, cbs_code, name FROM gemeenten ORDER BY id").fetchall()
        self.gemeenten = [(gid, code, name) for gid, code, name in rows]
        password_hash = hash_password(PASSWORD)
        users = []
        self.officers: dict[int, list[int]] = defaultdict(list)
        self.bibob_of: dict[int, int] = {}
        uid = 0
        for gid, _code, name in self.gemeenten:
            slug = re.sub(r"[^a-z]+", "-", name.lower()).strip("-")
            for role, local, count in (("vergunningverlener", "vergunningverlener", 3), ("bibob_coordinator", "bibob", 1),
                                       ("toezichthouder", "toezicht", 2), ("aandachtfunctionaris", "aandacht", 1)):
                for i in range(count):
                    uid += 1
                    email = f"{local}{i + 1 if i else ''}@{slug}.load"
                    users.append((uid, email, f"{role.replace('_', ' ').title()} {name} {i + 1}", role, gid))
                    if role == "vergunningverlener":
                        self.officers[gid].append(uid)
                    if role == "bibob_coordinator":
                        self.bibob_of[gid] = uid
                    if i == 0 and role in ("vergunningverlener", "bibob_coordinator"):
                        self.plan.gemeente_of_user[email] = name
        for role, email in (("ketenregisseur", "ketenregisseur@regio.load"), ("beheerder", "beheer@regio.load")):
            uid += 1
            users.append((uid, email, role.title(), role, None))
        self.copier.copy("users", ("id", "email", "full_name", "password_hash", "role", "gemeente_id",
                                   "is_active_account", "failed_login_count", "session_token", "version",
                                   "created_at", "updated_at"),
                         ((u, e, n, password_hash, r, g, True, 0, secrets.token_urlsafe(16), 1, self.now, self.now)
                          for u, e, n, r, g in users))
        self.n_users = uid

    def api_client(self) -> None:
        from barrier.api import keys

        key = keys.new_key()
        self.copier.copy("api_clients", ("name", "description", "gemeente_id", "scopes", "key_prefix", "key_hash",
                                         "rate_limit", "version", "created_at", "updated_at"),
                         [("Load benchmark", "", None, _jsonb(["screening:match", "applications:read"]), key.prefix,
                           key.digest, "1000000 per minute", 1, self.now, self.now)])
        self.plan.api_key = key.plaintext

    # -- the register ------------------------------------------------------------------------------

    def register(self) -> None:
        from barrier import crypto
        from barrier.register.services import search_text_for
        from benchmarks.matching import Generator, Pools
        from screening.matching import Organisation, Person

        started = time.perf_counter()
        self.pools = Pools()
        self.reg_gen = Generator(self.pools, self.seed)
        truths = [self.reg_gen.entity(i + 1) for i in range(self.n_register)]
        self.timings["register generated"] = time.perf_counter() - started
        self.register_truths = truths
        rng = random.Random(self.seed + 1)
        sources = ["bibob_besluit", "vergunning_geweigerd", "riec_signaal", "faillissement", "sanctielijst", "inspectie"]
        source_weights = [10, 15, 40, 25, 3, 7]
        reasons = {"bibob_besluit": "Weigering op grond van de Wet Bibob (ernstig gevaar).",
                   "vergunning_geweigerd": "Exploitatievergunning geweigerd of ingetrokken in de regio.",
                   "riec_signaal": "Signaal RIEC Noord-Nederland (casusoverleg).",
                   "faillissement": "Faillissement (Centraal Insolventieregister).",
                   "sanctielijst": "Vermelding op een sanctielijst.",
                   "inspectie": "Bevestigde signalen van mensenhandel bij inspectie."}
        gemeente_ids = [g for g, _c, _n in self.gemeenten]
        columns = ("id", "kind", "external_id", "given_names", "surname_prefix", "surname", "birth_date", "nationality",
                   "bsn_digest", "bsn_last4", "name", "legal_form", "kvk_number", "street", "house_number",
                   "house_number_suffix", "postcode", "city", "country", "source", "reason", "gemeente_id",
                   "recorded_on", "valid_until", "confidentiality", "search_text", "version", "created_at",
                   "updated_at")

        def rows():
            for truth in truths:
                record = truth.record
                address = getattr(record, "address", None)
                source = rng.choices(sources, source_weights)[0]
                confidentiality = rng.choices(["regionaal", "bibob_coordinatoren", "eigen_gemeente"], [50, 40, 10])[0]
                gemeente_id = rng.choice(gemeente_ids) if confidentiality == "eigen_gemeente" or rng.random() < 0.5 \
                    else None
                recorded = self.today - timedelta(days=rng.randrange(1, 3650))
                valid_until = recorded + timedelta(days=rng.randrange(365, 3650)) if rng.random() < 0.3 else None
                values: dict[str, Any] = {
                    "kind": "adres", "external_id": f"{source}-{record.id}" if rng.random() < 0.6 else None,
                    "given_names": "", "surname_prefix": "", "surname": "", "birth_date": None, "nationality": "",
                    "bsn_digest": None, "bsn_last4": None, "name": "", "legal_form": "", "kvk_number": None,
                    "street": address.street if address else "", "house_number": address.house_number if address else "",
                    "house_number_suffix": address.house_number_suffix if address else "",
                    "postcode": _postcode(address.postcode) if address else "", "city": address.city if address else "",
                    "country": "NL"}
                if isinstance(record, Person):
                    bsn = (record.identifiers or {}).get("bsn")
                    values.update(kind="persoon", given_names=record.given_names[:200],
                                  surname_prefix=record.surname_prefix[:30], surname=record.surname[:200],
                                  birth_date=record.birth_date, nationality=(record.nationality or "")[:80],
                                  bsn_digest=crypto.digest(bsn) if bsn else None, bsn_last4=bsn[-4:] if bsn else None)
                elif isinstance(record, Organisation):
                    values.update(kind="organisatie", name=record.name[:200], legal_form=(record.legal_form or "")[:60],
                                  kvk_number=record.kvk_number or None)
                values["search_text"] = search_text_for(values)
                yield (record.id, values["kind"], values["external_id"], values["given_names"],
                       values["surname_prefix"], values["surname"], values["birth_date"], values["nationality"],
                       values["bsn_digest"], values["bsn_last4"], values["name"], values["legal_form"],
                       values["kvk_number"], values["street"], values["house_number"][:10],
                       values["house_number_suffix"][:10], values["postcode"], values["city"][:120], "NL", source,
                       reasons[source], gemeente_id, recorded, valid_until, confidentiality, values["search_text"], 1,
                       self.now, self.now)

        self.register_columns, self.register_rows = columns, rows
        # Register search terms: names, companies, KvK numbers and postcodes of entries.
        for truth in random.Random(self.seed + 2).sample(truths, min(400, len(truths))):
            record = truth.record
            if isinstance(record, Person):
                self.plan.register_terms.append(f"{record.given_names.split()[0] if record.given_names else ''} "
                                                f"{record.surname_prefix} {record.surname}".strip().replace("  ", " "))
            elif isinstance(record, Organisation):
                self.plan.register_terms.append(record.kvk_number if record.kvk_number and rng.random() < 0.4
                                                else record.name)
            elif record.address is not None:
                self.plan.register_terms.append(f"{_postcode(record.address.postcode)} {record.address.house_number}")

    def write_register(self, copier: Copier) -> None:
        """COPY the generated register and its one version (run in a forked process, own connection)."""
        started = time.perf_counter()
        copier.copy("risk_entities", self.register_columns, self.register_rows())
        # One register version, as an import leaves it (entity_ids NULL: every index rebuilds).
        copier.copy("register_versions", ("id", "token", "kind", "summary", "entity_ids", "created_at"),
                    [(1, uuid.uuid4().hex, "import", f"benchmark: {self.n_register} entries", None, self.now)])
        copier.conn.commit()
        self.timings["register written (in parallel)"] = time.perf_counter() - started

    # -- applications -------------------------------------------------------------------------------

    def applications(self) -> None:  # noqa: C901 - one generator of related rows, read top-down
        from barrier import crypto
        from barrier.applications.rules import DEFAULT_PERMIT_MONTHS, REQUIRED_DOCUMENTS
        from barrier.models import PermitType
        from benchmarks.matching import Generator
        from forms.validators import InvalidValue, clean_postcode
        from screening.deadlines import (
            AanvullingRequested,
            DeadlineCase,
            DeadlineError,
            Verdaging,
            compute_deadline,
            rules_for,
        )
        from screening.matching import ENGINE_VERSION, Organisation, Person

        started = time.perf_counter()
        rng = self.rng
        gen = Generator(self.pools, self.seed + 7)
        gen.rng = rng
        gemeenten = self.gemeenten
        g_weights = [POPULATION.get(name, 20_000) for _g, _c, name in gemeenten]
        statuses, s_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        types, t_weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
        config = {"seksinrichting": "seksbedrijf_apv", "escortbedrijf": "seksbedrijf_apv",
                  "verhuurvergunning": "wgv_verhuurvergunning"}

        @functools.cache
        def rules(permit_type: str, cbs: str):
            return rules_for(config[permit_type], gemeente_code=cbs)

        @functools.cache
        def deadline(permit_type: str, cbs: str, received: date, decided: date | None, events: tuple) -> date | None:
            try:
                return compute_deadline(DeadlineCase(received_on=received, events=events, decided_on=decided),
                                        rules(permit_type, cbs), today=self.today).end_on
            except DeadlineError:
                return None

        # Register entries some parties are variants of (their applications carry hits).
        reg_persons = [t for t in self.register_truths if isinstance(t.record, Person)]
        reg_orgs = [t for t in self.register_truths if isinstance(t.record, Organisation)]

        # The applications in order of receipt (ids, references and counters follow it).
        specs = []
        for _ in range(self.n_apps):
            status = rng.choices(statuses, s_weights)[0]
            if status == "concept":
                received = None
                created = self.today - timedelta(days=rng.randrange(0, 60))
            elif status in OPEN:
                received = self.today - timedelta(days=rng.randrange(0, 150))
                created = received - timedelta(days=rng.randrange(0, 10))
            else:
                received = self.today - timedelta(days=rng.randrange(60, 3650))
                created = received - timedelta(days=rng.randrange(0, 10))
            specs.append((received or created, status, received, created))
        specs.sort(key=lambda s: s[0])

        addresses, persons, organisations = [], [], []
        apps, parties, events, clock_events, documents, permits = [], [], [], [], [], []
        hits, screenings = [], []
        counters: dict[tuple[int, int], int] = defaultdict(int)
        kvk_org: dict[str, int] = {}
        bsn_person: dict[str, int] = {}
        used_postcodes: set[tuple[str, str, str]] = set()
        recent: dict[int, list[tuple[str, int]]] = defaultdict(list)  # gemeente -> earlier parties (reuse)

        def valid_postcode(raw: str) -> str:
            try:
                return clean_postcode(raw)
            except InvalidValue:  # SA, SD, SS ... do not exist: the forms refuse them
                return valid_postcode(f"{rng.randrange(1000, 10000)}{rng.choice('ABCEFGHJKLMNPRTVWXZ')}"
                                      f"{rng.choice('ABCEFGHJKLMNPRTVWXZ')}")

        def new_address(a, gemeente_id=None, city=None) -> int | None:
            if a is None:
                return None
            postcode = valid_postcode(a.postcode)
            number = a.house_number if re.fullmatch(r"[1-9]\d{0,4}", a.house_number or "") else str(rng.randrange(1, 250))
            suffix = a.house_number_suffix if re.fullmatch(r"[A-Za-z0-9]{0,4}", a.house_number_suffix or "") else ""
            if (postcode, number, suffix) in used_postcodes:  # one row per address, as upsert_address keeps it
                postcode = valid_postcode(f"{rng.randrange(1000, 10000)}{rng.choice(string.ascii_uppercase)}"
                                          f"{rng.choice(string.ascii_uppercase)}")
            used_postcodes.add((postcode, number, suffix))
            addresses.append((len(addresses) + 1, a.street[:200], number, suffix, postcode, (city or a.city)[:120], "NL",
                              gemeente_id, self.now, self.now))
            return len(addresses)

        def new_person(p) -> tuple[int, str]:
            bsn = (p.identifiers or {}).get("bsn")
            if bsn and bsn in bsn_person:
                pid = bsn_person[bsn]
                return pid, person_names[pid - 1]
            address_id = new_address(p.address)
            pid = len(persons) + 1
            surname = p.surname[:200] or "Onbekend"
            persons.append((pid, p.given_names[:200], p.surname_prefix[:30], surname,
                            p.birth_date if isinstance(p.birth_date, date) else None, "",
                            (p.nationality or "")[:80], crypto.encrypt(bsn) if bsn else None,
                            crypto.digest(bsn) if bsn else None, bsn[-4:] if bsn else None, address_id, "", "",
                            self.now, self.now))
            full = " ".join(x for x in (p.given_names[:200], p.surname_prefix[:30], surname) if x)
            person_names.append(full)
            if bsn:
                bsn_person[bsn] = pid
            return pid, full

        def new_org(o) -> tuple[int, str, str | None]:
            kvk = o.kvk_number or None
            if kvk and kvk in kvk_org:
                oid = kvk_org[kvk]
                return oid, org_names[oid - 1], kvk
            address_id = new_address(o.address)
            oid = len(organisations) + 1
            organisations.append((oid, o.name[:200], (o.legal_form or "")[:60], "", kvk, None, None, address_id,
                                  self.now, self.now))
            org_names.append(o.name[:200])
            if kvk:
                kvk_org[kvk] = oid
            return oid, o.name[:200], kvk

        person_names: list[str] = []
        org_names: list[str] = []
        hit_id = 0
        for app_id, (_sort, status, received, created) in enumerate(specs, start=1):
            gid, cbs, gname = rng.choices(gemeenten, g_weights)[0]
            permit_type = rng.choices(types, t_weights)[0]
            officer = rng.choice(self.officers[gid])
            reference = None
            if received is not None:
                counters[(gid, received.year)] += 1
                reference = f"{cbs[2:]}-{received.year}-{counters[(gid, received.year)]:05d}"
            decided = None
            if status in DECIDED:
                decided = min(self.today, received + timedelta(days=rng.randrange(20, 110)))
            created_at = datetime.combine(created, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
            # Parties: (role, kind, id, name, kvk, engine record, register truth or None)
            app_parties = []
            hit_truths = []

            def person_party(role: str, gid: int = gid, app_parties: list = app_parties,
                             hit_truths: list = hit_truths) -> None:
                truth = None
                if recent[gid] and rng.random() < 0.1:
                    kind, pid = rng.choice(recent[gid])
                    if kind == "p":
                        app_parties.append((role, "p", pid, person_names[pid - 1], None))
                        return
                if reg_persons and rng.random() < 0.03:
                    truth = rng.choice(reg_persons)
                    record = gen.person_variant(truth)
                    if not record.surname:
                        record, truth = gen.person(None).record, None
                else:
                    record = gen.person(None).record
                pid, name = new_person(record)
                app_parties.append((role, "p", pid, name, None))
                recent[gid].append(("p", pid))
                if truth is not None:
                    hit_truths.append((f"person:{pid}", "persoon", name, truth))

            def org_party(role: str, app_parties: list = app_parties, hit_truths: list = hit_truths) -> None:
                truth = None
                if reg_orgs and rng.random() < 0.03:
                    truth = rng.choice(reg_orgs)
                    record = gen.org_variant(truth)
                    if not record.name:
                        record, truth = gen.organisation(None).record, None
                else:
                    record = gen.organisation(None).record
                oid, name, kvk = new_org(record)
                app_parties.append((role, "o", oid, name, kvk))
                if truth is not None:
                    hit_truths.append((f"organisation:{oid}", "organisatie", name, truth))

            if rng.random() < 0.5:
                person_party("aanvrager")
            else:
                org_party("aanvrager")
                person_party("bestuurder")
                if rng.random() < 0.4:
                    person_party("ubo")
            if permit_type == "seksinrichting" or (permit_type == "escortbedrijf" and rng.random() < 0.5):
                person_party("beheerder")
            elif permit_type == "verhuurvergunning":
                if rng.random() < 0.5:
                    person_party("eigenaar_pand")
                else:
                    org_party("eigenaar_pand")
                if rng.random() < 0.3:
                    org_party("werkgever")
            # The location, in the gemeente.
            location_id = None
            location_label = ""
            location_postcode = ""
            if permit_type != "escortbedrijf":
                a = gen.address()
                a = type(a)(street=a.street, house_number=a.house_number, house_number_suffix=a.house_number_suffix,
                            postcode=f"{rng.randrange(7700, 9999)}{a.postcode[4:]}", city=gname)
                location_id = new_address(a, gid, gname)
                row = addresses[location_id - 1]
                number = f"{row[2]}{('-' + row[3]) if row[3] else ''}"
                line = " ".join(x for x in (row[1], number) if x).strip()
                location_label = ", ".join(x for x in (line, f"{row[4]} {row[5]}".strip()) if x)
                location_postcode = row[4]
            trade_name = (f"{rng.choice(['Club', 'Privéhuis', 'Salon', 'Huize'])} {gen.p.given_name(rng)}"
                          if permit_type == "seksinrichting" else
                          f"Escort {gen.p.surname(rng)}" if permit_type == "escortbedrijf" else
                          f"Huisvesting {gen.p.surname(rng)} {gname}")
            # search_text as services._refresh_search_text writes it.
            parts = [reference or "", trade_name]
            for _role, kind, _pid, name, kvk in app_parties:
                parts.append(name)
                if kind == "o" and kvk:
                    parts.append(kvk)
            if location_id:
                parts += [location_label, location_postcode.replace(" ", "")]
            search_text = " ".join(p for p in parts if p).lower()[:4000]
            # Clock events and the deadline.
            engine_events: list[Any] = []
            app_clock = []
            if received is not None and status != "concept" and rng.random() < 0.12:
                asked = received + timedelta(days=rng.randrange(3, 20))
                if asked <= self.today:
                    back = asked + timedelta(days=rng.randrange(5, 35))
                    back = None if status == "aanvulling_gevraagd" or back > self.today or \
                        (decided and back > decided) else back
                    engine_events.append(AanvullingRequested(requested_on=asked, hersteltermijn_weeks=4, received_on=back))
                    app_clock.append(("aanvulling", asked, back, 4))
            if received is not None and status != "concept" and rng.random() < 0.04:
                notified = received + timedelta(days=rng.randrange(30, 50))
                if notified <= (decided or self.today):
                    engine_events.append(Verdaging(notified_on=notified, weeks=rng.choice([4, 6, 8])))
                    app_clock.append(("verdaging", notified, None, engine_events[-1].weeks))
            deadline_on = deadline(permit_type, cbs, received, decided, tuple(engine_events)) if received else None
            if deadline_on is None and app_clock:
                app_clock = []
                deadline_on = deadline(permit_type, cbs, received, decided, ()) if received else None
            for kind, start_on, end_on, weeks in app_clock:
                clock_events.append((app_id, kind, start_on, end_on, weeks, True, "", officer, created_at))
            details = self._details(rng, permit_type)
            apps.append((app_id, reference, gid, permit_type,
                         rng.choice(SEX_KINDS) if permit_type == "seksinrichting" else "", status,
                         rng.choice(["betrokkenen", "locatie", "gegevens"]) if status == "concept" else "",
                         trade_name, received, location_id, _jsonb(details), officer, officer,
                         None if decided else deadline_on,  # only a running deadline is stored (deadlines.refresh)
                         decided,
                         "Besluit conform advies; zie het besluit in het zaaksysteem." if decided else "",
                         search_text, 3 + len(PATH.get(status, [])), created_at, created_at))
            for role, kind, pid, _name, _kvk in app_parties:
                parties.append((app_id, role, pid if kind == "p" else None, pid if kind == "o" else None, ""))
            # Timeline.
            events.append((app_id, created_at, "created", "", "", officer, "Concept-aanvraag aangemaakt"))
            if received is not None:
                at = datetime.combine(received, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)
                events.append((app_id, at, "status", "concept", "ontvangen", officer, "Aanvraag ingediend en ontvangen"))
                previous = "ontvangen"
                for step in PATH[status]:
                    at += timedelta(days=rng.randrange(1, 10))
                    events.append((app_id, at, "status", previous, step, officer, f"{previous} → {step}"))
                    previous = step
                if decided:
                    at = datetime.combine(decided, datetime.min.time(), tzinfo=UTC) + timedelta(hours=14)
                    events.append((app_id, at, "decision", previous, status, officer, f"Besluit: {status}"))
                elif status != previous:
                    events.append((app_id, at, "status", previous, status, officer, f"{previous} → {status}"))
                kinds = [k.value for k, _s in REQUIRED_DOCUMENTS[PermitType(permit_type)]]
                if rng.random() < 0.15:
                    kinds = kinds[:-1]
                for doc_kind in kinds:
                    documents.append((app_id, gid, doc_kind, f"{doc_kind}.pdf", f"{rng.getrandbits(256):064x}",
                                      rng.randint(40_000, 900_000), "application/pdf", officer, at, "application"))
            if status in ("verleend", "verleend_met_voorschriften"):
                valid_until = decided + timedelta(days=round(DEFAULT_PERMIT_MONTHS[PermitType(permit_type)] * 30.44) - 1)
                holder = app_parties[0][3]
                permits.append((f"{reference}-V", app_id, gid, permit_type, holder[:200], location_id, decided,
                                valid_until, "Voorschriften volgens het besluit." if status != "verleend" else "",
                                details.get("persons") if permit_type == "verhuurvergunning" else None,
                                "geldig" if valid_until >= self.today else "verlopen", created_at, created_at))
            # Screening: every submitted application was screened; variants of register entries are hits.
            if received is not None:
                for subject_key, subject_kind, label, truth in hit_truths:
                    hit_id += 1
                    is_open = status in OPEN and rng.random() < 0.7
                    reviewed = None if is_open else rng.choice(["bevestigd", "afgewezen", "afgewezen", "onzeker"])
                    score = round(rng.uniform(0.72, 0.99), 4)
                    hits.append((hit_id, app_id, truth.record.id, subject_key, subject_kind, label[:300],
                                 f"{rng.getrandbits(128):032x}", score,
                                 "Naam komt overeen (variant), geboortedatum gelijk; adres wijkt af.",
                                 _jsonb([{"name": "name", "label": "Naam", "query": label, "register": label,
                                          "contribution": 0.6}]), 1, ENGINE_VERSION, True,
                                 reviewed or "open", score if reviewed else None,
                                 "Beoordeeld in het Bibob-overleg." if reviewed else "",
                                 self.bibob_of.get(gid) if reviewed else None, created_at if reviewed else None,
                                 created_at, created_at))
                screenings.append((app_id, 1, ENGINE_VERSION, len(app_parties) + (1 if location_id else 0),
                                   len(hit_truths), created_at))
                # The load plan.
                if status != "concept":
                    self.plan.details[gname].append(app_id)
                    if hit_truths:
                        self.plan.bibob_details[gname].append(app_id)
                    terms = self.plan.search_terms[gname]
                    if len(terms) < 300 and rng.random() < 0.2:
                        terms.append(self._search_term(rng, reference, app_parties, trade_name, location_postcode))
                    if len(self.plan.screening_bodies) < 1500 and rng.random() < 0.1:
                        self.plan.screening_bodies.append(self._screening_body(app_parties, location_id, addresses,
                                                                               persons, organisations))
        self.timings["applications generated"] = time.perf_counter() - started
        started = time.perf_counter()
        copy = self.copier.copy
        copy("addresses", ("id", "street", "house_number", "house_number_suffix", "postcode", "city", "country",
                           "gemeente_id", "created_at", "updated_at"), addresses)
        copy("persons", ("id", "given_names", "surname_prefix", "surname", "birth_date", "birth_place", "nationality",
                         "bsn_encrypted", "bsn_digest", "bsn_last4", "address_id", "phone", "email", "created_at",
                         "updated_at"), persons)
        copy("organisations", ("id", "name", "legal_form", "trade_names", "kvk_number", "vestigingsnummer", "rsin",
                               "address_id", "created_at", "updated_at"), organisations)
        copy("applications", ("id", "reference", "gemeente_id", "permit_type", "sub_type", "status", "draft_step",
                              "trade_name", "received_on", "location_id", "details", "officer_id", "created_by_id",
                              "deadline_on", "decided_on", "decision_grounds", "search_text", "version", "created_at",
                              "updated_at"), apps)
        copy("application_parties", ("application_id", "role", "person_id", "organisation_id", "notes"), parties)
        copy("application_events", ("application_id", "at", "kind", "from_status", "to_status", "actor_id", "text"),
             events)
        copy("clock_events", ("application_id", "kind", "start_on", "end_on", "weeks", "notice_logged", "note",
                              "created_by_id", "created_at"), clock_events)
        copy("documents", ("application_id", "gemeente_id", "kind", "original_filename", "sha256", "size_bytes",
                           "content_type", "uploaded_by_id", "uploaded_at", "context"), documents)
        copy("permits", ("permit_number", "application_id", "gemeente_id", "permit_type", "holder_name", "location_id",
                         "valid_from", "valid_until", "conditions", "max_persons", "status", "created_at", "updated_at"),
             permits)
        copy("reference_counters", ("gemeente_id", "year", "kind", "last_value"),
             [(g, y, "aanvraag", n) for (g, y), n in counters.items()])
        self.timings["applications written"] = time.perf_counter() - started
        self.hits, self.screenings = hits, screenings

    def write_hits(self) -> None:
        """The screening results (after the register is committed: hits reference its entries)."""
        started = time.perf_counter()
        self.copier.copy("register_hits", (
            "id", "application_id", "entity_id", "subject_key", "subject_kind", "subject_label", "subject_fingerprint",
            "score", "explanation", "features", "register_version", "engine_version", "is_current", "status",
            "reviewed_score", "review_reason", "reviewed_by_id", "reviewed_at", "found_at", "screened_at"), self.hits)
        self.copier.copy("application_screenings", ("application_id", "register_version", "engine_version", "subjects",
                                                    "hits", "screened_at"), self.screenings)
        self.timings["hits written"] = time.perf_counter() - started

    @staticmethod
    def _details(rng: random.Random, permit_type: str) -> dict[str, Any]:
        if permit_type == "verhuurvergunning":
            rooms = [{"area_m2": rng.choice([8.5, 9.0, 10.5, 12.0, 14.0]), "beds": 2} for _ in range(rng.randint(3, 6))]
            persons = sum(r["beds"] for r in rooms)
            return {"persons": persons, "accommodation_type": rng.choice(["a", "a", "c", "e"]),
                    "floor_area_m2": float(persons * rng.choice([11, 13, 15])), "rooms": rooms,
                    "toilets": max(1, persons // 8), "showers": max(1, persons // 8), "kitchens": 1,
                    "rent_per_person": float(rng.choice([95, 110, 125, 140])), "service_costs": 15.0,
                    "landlord_is_employer": rng.choice(["ja", "nee"]), "contact_name": "Beheerder locatie",
                    "contact_phone": "06" + str(rng.randint(10000000, 99999999)), "snf_certified": rng.random() < 0.6}
        if permit_type == "escortbedrijf":
            return {"opening_hours": "dagelijks 12:00–04:00", "phone_numbers": "06" + str(rng.randint(10000000, 99999999)),
                    "websites": "https://www.example-escort.nl", "max_sex_workers": rng.randint(3, 12),
                    "intake_procedure": True, "business_plan_summary": "Escortbemiddeling met intakegesprek."}
        return {"opening_hours": "ma–do 12:00–01:00, vr–za 12:00–03:00", "workrooms": rng.randint(2, 9),
                "max_sex_workers": rng.randint(2, 12), "intake_procedure": rng.random() < 0.8, "alarm_buttons": True,
                "business_plan_summary": "Privéhuis met intakegesprek, GGD-spreekuur en huisregels in meerdere talen."}

    @staticmethod
    def _search_term(rng: random.Random, reference: str, app_parties: list, trade_name: str, postcode: str) -> str:
        kind = rng.choice(["surname", "surname", "company", "kvk", "postcode", "reference", "trade"])
        people = [name for _r, k, _i, name, _kvk in app_parties if k == "p"]
        companies = [(name, kvk) for _r, k, _i, name, kvk in app_parties if k == "o"]
        if kind == "kvk" and any(kvk for _n, kvk in companies):
            return next(kvk for _n, kvk in companies if kvk)
        if kind == "company" and companies:
            return max(companies[0][0].split(), key=len)
        if kind == "postcode" and postcode:
            return postcode
        if kind == "reference":
            return reference
        if kind == "trade":
            return trade_name.split()[-1]
        return people[0].split()[-1] if people else trade_name.split()[-1]

    @staticmethod
    def _screening_body(app_parties: list, location_id: int | None, addresses: list, persons: list,
                        organisations: list) -> str:
        def address(address_id: int | None) -> dict[str, str] | None:
            if address_id is None:
                return None
            row = addresses[address_id - 1]
            return {"street": row[1], "house_number": row[2], "house_number_suffix": row[3], "postcode": row[4],
                    "city": row[5]}

        subjects: list[dict[str, Any]] = []
        for role, kind, pid, _name, _kvk in app_parties:
            if kind == "p":
                p = persons[pid - 1]
                subject = {"kind": "persoon", "ref": role, "given_names": p[1], "surname_prefix": p[2], "surname": p[3]}
                if p[4]:
                    subject["birth_date"] = p[4].isoformat()
                if p[10]:
                    subject["address"] = address(p[10])
            else:
                o = organisations[pid - 1]
                subject = {"kind": "organisatie", "ref": role, "name": o[1], "legal_form": o[2], "kvk_number": o[4] or ""}
                if o[7]:
                    subject["address"] = address(o[7])
            subjects.append(subject)
        if location_id:
            subjects.append({"kind": "adres", "ref": "locatie", **address(location_id)})
        return json.dumps({"subjects": subjects}, ensure_ascii=False)

    def finish(self) -> None:
        started = time.perf_counter()
        for table in ("users", "addresses", "persons", "organisations", "applications", "application_parties",
                      "application_events", "clock_events", "documents", "permits", "register_hits", "risk_entities",
                      "register_versions", "api_clients"):
            self.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed names
                              f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
        self.conn.commit()
        self.conn.autocommit = True
        # A database in use has been vacuumed by autovacuum (visibility map set: index-only scans work).
        self.conn.execute("VACUUM (ANALYZE)")
        self.conn.autocommit = False
        self.timings["sequences + VACUUM ANALYZE"] = time.perf_counter() - started


def load_database(url: str, instance: Path, n_apps: int, n_register: int, seed: int) -> tuple[Plan, Loader]:
    """Fill the migrated database; the app's own helpers (hashes, BSN encryption) run in an app context."""
    import psycopg

    from barrier import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://"),
                      "SECRET_KEY": SECRET_KEY})
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with app.app_context(), psycopg.connect(url) as conn:
        loader = Loader(conn, n_apps, n_register, seed)
        loader.users()
        loader.api_client()
        loader.register()
        # The register is written by a forked process on its own connection while this one builds the
        # applications (two cores); the hits follow once the register is committed.
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        writer = context.Process(target=_write_register, args=(loader, url, send), daemon=True)
        writer.start()
        loader.applications()
        written = receive.recv()
        writer.join()
        if writer.exitcode != 0 or "error" in written:
            raise RuntimeError(f"writing the register failed: {written.get('error')}")
        loader.timings.update(written["timings"])
        loader.copier.seconds.update(written["seconds"])
        loader.copier.rows.update(written["rows"])
        loader.write_hits()
        conn.commit()
        loader.finish()
    return loader.plan, loader


def _write_register(loader: Loader, url: str, send) -> None:
    """In the forked process: never touch the parent's connection (its socket is shared)."""
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            copier = Copier(conn)
            loader.timings = {}
            loader.write_register(copier)
        send.send({"timings": loader.timings, "seconds": dict(copier.seconds), "rows": dict(copier.rows)})
    except Exception as error:  # reported to the parent, which raises
        send.send({"error": repr(error)})


# --- the server ---------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _proc_mb(path: str, field: str) -> float:
    """A "Field:  1234 kB" line of a /proc file, in MB (0 when the process is gone)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _rss_mb(pid: int) -> float:
    return _proc_mb(f"/proc/{pid}/status", "VmRSS:")


def _pss_mb(pid: int) -> float:
    """Proportional set size: shared pages split between the processes sharing them (Linux)."""
    return _proc_mb(f"/proc/{pid}/smaps_rollup", "Pss:")


def memory(server_pid: int) -> dict[str, Any]:
    """RSS per worker, and the PSS of master and workers together (what the server really uses)."""
    pids = _children(server_pid)
    return {"rss_mb": [_rss_mb(pid) for pid in pids],
            "pss_total_mb": _pss_mb(server_pid) + sum(_pss_mb(pid) for pid in pids)}


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _postgres_pids(database: str) -> list[int]:
    """The PostgreSQL backends serving *database* (not those of other databases on the server)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == "postgres" and \
                        f" {database} " in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode():
                    pids.append(int(entry.name))
    return pids


def _cpu_by_pid(pids: list[int]) -> dict[int, float]:
    return {pid: _cpu_seconds([pid]) for pid in pids}


def _request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
             timeout: float = 1800) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def start_server(url: str, instance: Path, workers: int, threads: int,
                 preload: bool = True) -> tuple[subprocess.Popen, int, float]:
    """gunicorn with the production settings (``barrier/gunicorn_conf.py``); (server, port, seconds to ready).

    With *preload* the master builds the register index before it forks the workers (the
    production default), so "ready" includes that build.
    """
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "python:barrier.gunicorn_conf", "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    if threads > 1:
        command += ["--threads", str(threads)]  # gunicorn then runs gthread workers
    env = {**_server_env(url, instance), "BARRIER_PRELOAD_REGISTER_INDEX": "1" if preload else "0"}
    log = (instance / "gunicorn.log").open("w")  # the workers' start-up chatter and any traceback
    started = time.perf_counter()
    server = subprocess.Popen([*command, "wsgi:app"], cwd=PROJECT_ROOT, env=env, stderr=log, stdout=log)
    deadline = time.time() + 900  # a preloaded 1M-entry index takes a minute or two
    while time.time() < deadline:
        with contextlib.suppress(OSError):
            status, _body = _request(port, "GET", "/gezondheid", timeout=5)
            if status == 200:
                return server, port, time.perf_counter() - started
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped during start-up")
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /gezondheid within 900 s")


def warm_up(server: subprocess.Popen, port: int, plan: Plan, workers: int) -> dict[str, Any]:
    """Every worker builds its register index on its first screening: keep asking until all are warm."""
    headers = {"Authorization": f"Bearer {plan.api_key}", "Content-Type": "application/json"}
    body = plan.screening_bodies[0].encode()
    started = time.perf_counter()
    errors: list[str] = []

    def one() -> None:
        status, answer = _request(port, "POST", "/api/v1/screening", body, headers)
        if status != 200:
            errors.append(f"{status}: {answer[:200]!r}")

    # Enough simultaneous requests that every worker accepts at least one (each holds its index lock).
    for _round in range(20):
        batch = [threading.Thread(target=one) for _ in range(workers * 4)]
        for thread in batch:
            thread.start()
        for thread in batch:
            thread.join()
        if errors:
            raise RuntimeError(f"warm-up screening failed: {errors[0]}")
        timings = []
        for _ in range(workers * 6):
            t0 = time.perf_counter()
            one()
            timings.append(time.perf_counter() - t0)
        if max(timings) < 2.0:
            break
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "pids": _children(server.pid), **memory(server.pid)}


# --- the load client (its own process) ----------------------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
_COOKIE = re.compile(r"barrier_session=([^;]*)")


class Client:
    """One keep-alive connection with its own session cookie (a browser tab)."""

    def __init__(self, port: int, cookie: str = "", headers: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookie = cookie
        self.headers = headers or {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, extra: dict[str, str] | None = None,
                timeout: float = 60) -> tuple[int, bytes, http.client.HTTPResponse | None]:
        headers = {**self.headers, **(extra or {})}
        if self.cookie:
            headers["Cookie"] = f"barrier_session={self.cookie}"
        for attempt in (0, 1):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt:
                    return 0, b"", None
                continue  # the server closed an idle keep-alive connection: reconnect once
            for header, value in response.getheaders():
                if header.lower() == "set-cookie" and (match := _COOKIE.search(value)):
                    self.cookie = match.group(1)
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            return response.status, data, response
        return 0, b"", None


def login(port: int, email: str) -> str:
    """Log in through the form (CSRF token, same-origin Referer); returns the session cookie."""
    client = Client(port)
    status, page, _r = client.request("GET", "/inloggen")
    match = _CSRF.search(page.decode())
    if status != 200 or not match:
        raise RuntimeError(f"login form answered {status} without a CSRF token")
    token = match.group(1) or match.group(2)
    body = urlencode({"csrf_token": token, "email": email, "password": PASSWORD}).encode()
    status, _page, response = client.request(
        "POST", "/inloggen", body, {"Content-Type": "application/x-www-form-urlencoded",
                                    "Referer": f"http://127.0.0.1:{port}/inloggen",
                                    "Origin": f"http://127.0.0.1:{port}"})
    if status != 302 or "inloggen" in (response.getheader("Location", "") if response else "inloggen"):
        raise RuntimeError(f"login of {email} answered {status}")
    return client.cookie


def _requests_for(route: str, gemeente: str, plan: dict[str, Any], rng: random.Random) -> tuple[str, str, bytes | None]:
    """(method, path, body) of one request of *route* for a user of *gemeente*."""
    if route == "list":
        choice = rng.random()
        if choice < 0.3:
            return "GET", "/aanvragen", None
        if choice < 0.5:
            return "GET", "/aanvragen?" + urlencode({"status": "open"}), None
        if choice < 0.6:
            return "GET", "/aanvragen?" + urlencode({"status": "open", "deadline": "14"}), None
        if choice < 0.7:
            return "GET", "/aanvragen?" + urlencode({"permit_type": "verhuurvergunning", "status": "verleend",
                                                     "sort": "reference"}), None
        if choice < 0.8:
            return "GET", "/aanvragen?" + urlencode({"sort": "-received", "page": rng.randint(1, 5)}), None
        if choice < 0.95:
            return "GET", "/aanvragen?" + urlencode({"page": rng.randint(2, 10)}), None
        pages = max(1, len(plan["details"][gemeente]) // 25)  # now and then a page deep in the list
        return "GET", "/aanvragen?" + urlencode({"page": rng.randint(11, max(11, pages))}), None
    if route == "search":
        return "GET", "/aanvragen?" + urlencode({"q": rng.choice(plan["search_terms"][gemeente])}), None
    if route == "detail":
        return "GET", f"/aanvragen/{rng.choice(plan['details'][gemeente])}", None
    if route == "detail (Bibob)":
        ids = plan["bibob_details"][gemeente] or plan["details"][gemeente]
        return "GET", f"/aanvragen/{rng.choice(ids)}", None
    if route == "hits list (Bibob)":
        status = rng.choice(["", "open", "open", "bevestigd", "alle"])
        return "GET", "/register/treffers" + (f"?status={status}" if status else ""), None
    if route == "register search (Bibob)":
        return "GET", "/register?" + urlencode({"q": rng.choice(plan["register_terms"])}), None
    if route == "screening (API)":
        return "POST", "/api/v1/screening", rng.choice(plan["screening_bodies"]).encode()
    raise ValueError(route)


def run_load(config: dict[str, Any]) -> dict[str, Any]:
    """The load client: log in, warm up, then request the route mix for *duration* seconds.

    The warm-up (``--warmup`` seconds of the same mix, not measured) takes the first requests of
    every worker and database backend out of the figures: a fresh connection, PostgreSQL's
    catalogue caches, the first query plans. "warm" on stdout tells the parent to start its CPU
    counters; the JSON result follows.
    """
    port = config["port"]
    plan = config["plan"]
    cookies = {email: login(port, email) for email in plan["gemeente_of_user"]}
    if config.get("warmup"):
        _phase({**config, "duration": config["warmup"]}, cookies)
    print("warm", flush=True)
    return _phase(config, cookies)


def _phase(config: dict[str, Any], cookies: dict[str, str]) -> dict[str, Any]:
    port = config["port"]
    plan = config["plan"]
    users = {"vv": [e for e in cookies if e.startswith("vergunningverlener")],
             "bibob": [e for e in cookies if e.startswith("bibob")]}
    routes = [name for name in ROUTES if name in config["routes"]]
    weights = [ROUTES[name][0] for name in routes]
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    samples: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    started = time.perf_counter()
    stop = started + config["duration"]

    rate = config.get("rate") or 0.0
    # Open loop (--rate): arrivals at a Poisson rate, each request timed from its scheduled start,
    # so a slow server shows as latency instead of as fewer requests (no coordinated omission).
    arrivals: list[float] = []
    if rate:
        arrival_rng = random.Random(config["seed"])
        t = started
        while t < stop:
            t += arrival_rng.expovariate(rate)
            arrivals.append(t)
    next_arrival = iter(arrivals)

    def worker(n: int) -> None:
        rng = random.Random(config["seed"] * 1000 + n)
        clients: dict[str, Client] = {}
        mine: dict[str, list[float]] = defaultdict(list)
        counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        bad: dict[str, list[str]] = defaultdict(list)
        while True:
            if rate:
                with lock:
                    scheduled = next(next_arrival, None)
                if scheduled is None:
                    break
                time.sleep(max(0.0, scheduled - time.perf_counter()))
            elif time.perf_counter() >= stop:
                break
            route = rng.choices(routes, weights)[0]
            who = ROUTES[route][1]
            if who == "api":
                email, gemeente = "api", ""
                headers = {"Authorization": f"Bearer {plan['api_key']}", "Content-Type": "application/json"}
            else:
                email = rng.choice(users[who])
                gemeente = plan["gemeente_of_user"][email]
                headers = {"User-Agent": f"barrier-load/{n}"}
            client = clients.get(email)
            if client is None:
                client = clients[email] = Client(port, cookies.get(email, ""), headers)
            method, path, body = _requests_for(route, gemeente, plan, rng)
            t0 = scheduled if rate else time.perf_counter()
            status, data, _response = client.request(method, path, body)
            elapsed = (time.perf_counter() - t0) * 1000
            counts[route][status] += 1
            if status == 200:
                mine[route].append(elapsed)
            elif len(bad[route]) < 3:
                bad[route].append(f"{status} {method} {path}: {data[:160]!r}")
        with lock:
            for route, values in mine.items():
                latencies[route].extend(values)
            for route, by_status in counts.items():
                for status, count in by_status.items():
                    statuses[route][status] += count
            for route, lines in bad.items():
                samples[route].extend(lines)

    # Open loop: enough threads that a slow answer never delays the next scheduled request much.
    n_threads = max(config["concurrency"], 48) if rate else config["concurrency"]
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(n_threads)]
    cpu_started = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(config["duration"], time.perf_counter() - started) if rate else time.perf_counter() - started
    out: dict[str, Any] = {"seconds": elapsed, "client_cpu_s": time.process_time() - cpu_started, "routes": {}}
    for route in routes:
        values = sorted(latencies[route])
        total = sum(statuses[route].values())
        out["routes"][route] = {
            "requests": total, "ok": len(values), "errors": total - len(values), "rps": total / elapsed,
            "p50": _pct(values, 0.50), "p95": _pct(values, 0.95), "p99": _pct(values, 0.99),
            "max": values[-1] if values else 0.0, "statuses": {str(k): v for k, v in statuses[route].items()},
            "error_samples": samples[route][:3]}
    return out


def _pct(ordered: list[float], p: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p * len(ordered)) - 1))]


def drive(server: subprocess.Popen, port: int, plan: Plan, *, duration: float, concurrency: int, seed: int,
          routes: list[str], rate: float = 0.0, warmup: float = 0.0) -> dict[str, Any]:
    """Run the load client in its own process; sample the load average and the workers' CPU meanwhile."""
    config = {"port": port, "duration": duration, "concurrency": concurrency, "seed": seed, "routes": routes,
              "rate": rate, "warmup": warmup,
              "plan": {"gemeente_of_user": {e: g for e, g in plan.gemeente_of_user.items() if g in LOGIN_GEMEENTEN},
                       "details": plan.details, "bibob_details": plan.bibob_details,
                       "search_terms": plan.search_terms, "register_terms": plan.register_terms,
                       "screening_bodies": plan.screening_bodies, "api_key": plan.api_key}}
    workers = _children(server.pid)
    database = plan.database
    loads: list[float] = []
    client = subprocess.Popen([sys.executable, "-m", "benchmarks.load", "--load-client"], cwd=PROJECT_ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert client.stdin is not None and client.stdout is not None
    client.stdin.write(json.dumps(config))
    client.stdin.close()
    if client.stdout.readline().strip() != "warm":  # logged in and warmed up: measure from here
        client.wait()
        raise RuntimeError(f"load client failed ({client.returncode})")
    cpu_before, pg_before = _cpu_seconds(workers), _cpu_by_pid(_postgres_pids(database))
    while client.poll() is None:
        loads.append(os.getloadavg()[0])
        time.sleep(1.0)
    assert client.stdout is not None
    output = client.stdout.read()
    if client.returncode != 0:
        raise RuntimeError(f"load client failed ({client.returncode})")
    result = json.loads(output)
    requests_done = max(1, sum(r["requests"] for r in result["routes"].values()))
    result["worker_cpu_ms"] = (_cpu_seconds(workers) - cpu_before) * 1000 / requests_done
    # Backends that the workers' pools opened during the run count from zero.
    pg_after = _cpu_by_pid(_postgres_pids(database))
    result["postgres_cpu_ms"] = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items()) * 1000 / requests_done
    result["load_avg"] = {"mean": sum(loads) / max(1, len(loads)), "max": max(loads, default=0.0),
                          "end": os.getloadavg()}
    after = memory(server.pid)
    result["rss_after_mb"], result["pss_after_mb"] = after["rss_mb"], after["pss_total_mb"]
    return result


# --- the report ---------------------------------------------------------------------------------------------

def print_report(args: argparse.Namespace, loader: Loader, load_s: float, migrate_s: float, warm: dict[str, Any],
                 result: dict[str, Any], load_before: tuple[float, float, float]) -> int:
    copier = loader.copier
    print()
    print(f"## Load: {copier.rows['applications']:,} applications, {copier.rows['risk_entities']:,} register entries, "
          "PostgreSQL")
    print()
    rows = ", ".join(f"{table} {copier.rows[table]:,}" for table in
                     ("applications", "application_parties", "persons", "organisations", "addresses",
                      "application_events", "documents", "permits", "register_hits", "risk_entities"))
    print(f"Loaded in {load_s:.1f} s after {migrate_s:.1f} s of migrations ({rows}); "
          + ", ".join(f"{k} {v:.1f} s" for k, v in loader.timings.items()) + ".")
    print("COPY per table: " + ", ".join(f"{t} {s:.1f} s" for t, s in sorted(copier.seconds.items(),
                                                                               key=lambda i: -i[1])[:6]) + ".")
    rss = ", ".join(f"{mb:,.0f} MB" for mb in warm["rss_mb"])
    rss_after = ", ".join(f"{mb:,.0f} MB" for mb in result["rss_after_mb"])
    kind = f"{args.workers} sync workers" if args.threads <= 1 else f"{args.workers} workers x {args.threads} threads"
    ready = f"ready after {warm['ready_s']:.1f} s"
    pss = (f"; master and workers together {warm['pss_total_mb']:,.0f} MB PSS after warm-up, "
           f"{result['pss_after_mb']:,.0f} MB after the run")
    if warm.get("skipped"):
        print(f"gunicorn {kind} (barrier/gunicorn_conf.py), {ready}; no route of this mix uses the register index "
              f"(RSS per worker {rss} at the start, {rss_after} after the run{pss}).")
    elif args.no_preload:
        print(f"gunicorn {kind}, {ready}, index not preloaded: warm in every worker after {warm['seconds']:.1f} s "
              f"(RSS per worker {rss} after warm-up, {rss_after} after the run{pss}).")
    else:
        print(f"gunicorn {kind}, index preloaded in the master and shared by the forked workers: {ready}, "
              f"every worker warm {warm['seconds']:.1f} s later (RSS per worker {rss} after warm-up, "
              f"{rss_after} after the run{pss}).")
    print()
    mode = (f"open loop at {args.rate:g} requests/s (Poisson arrivals, latency from the scheduled start)" if args.rate
            else f"closed loop, {args.concurrency} threads without think time")
    print(f"Load client in another process: {mode}, {result['seconds']:.0f} s after {args.warmup:g} s of warm-up; "
          f"load average before {load_before[0]:.1f} (5 min {load_before[1]:.1f}), during the run "
          f"mean {result['load_avg']['mean']:.1f}, max {result['load_avg']['max']:.1f}; "
          f"{os.cpu_count()} cores shared by client, workers and PostgreSQL.")
    print()
    print("| route | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | target p95 < 150 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    total = errors = 0
    misses = []
    for route, stats in result["routes"].items():
        total += stats["requests"]
        errors += stats["errors"]
        targeted = ROUTES[route][2]
        verdict = ("met" if stats["p95"] < TARGET_P95_MS else "**missed**") if targeted else "–"
        if targeted and stats["p95"] >= TARGET_P95_MS:
            misses.append(route)
        print(f"| {route} | {stats['requests']:,} | {stats['errors']} | {stats['rps']:.1f} | {stats['p50']:.0f} | "
              f"{stats['p95']:.0f} | {stats['p99']:.0f} | {stats['max']:.0f} | {verdict} |")
    print(f"| **all** | {total:,} | {errors} | {total / result['seconds']:.1f} | | | | | |")
    print()
    print(f"Errors in the whole run: {errors}. CPU per request: workers {result['worker_cpu_ms']:.1f} ms, "
          f"PostgreSQL {result['postgres_cpu_ms']:.1f} ms, load client "
          f"{result['client_cpu_s'] * 1000 / max(1, total):.1f} ms.")
    for route, stats in result["routes"].items():
        for line in stats["error_samples"]:
            print(f"  error sample ({route}): {line}")
    return 1 if errors or misses else 0


# --- main -----------------------------------------------------------------------------------------------------

def _plan_path(name: str) -> Path:
    return Path(tempfile.gettempdir()) / f"{name}.plan.json"


def save_plan(name: str, plan: Plan, loader: Loader, migrate_s: float, load_s: float) -> None:
    _plan_path(name).write_text(json.dumps({
        "plan": plan.__dict__, "timings": loader.timings, "copy_seconds": loader.copier.seconds,
        "copy_rows": loader.copier.rows, "migrate_s": migrate_s, "load_s": load_s}))


def reuse_plan(name: str) -> tuple[Plan, Loader, float, float]:
    """The plan and load figures of a database kept by an earlier run (``--keep``)."""
    saved = json.loads(_plan_path(name).read_text())
    plan = Plan(**saved["plan"])
    loader = Loader.__new__(Loader)
    loader.timings = saved["timings"]
    loader.copier = Copier(None)
    loader.copier.seconds.update(saved["copy_seconds"])
    loader.copier.rows.update(saved["copy_rows"])
    return plan, loader, saved["migrate_s"], saved["load_s"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--register", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--warmup", type=float, default=10.0,
                        help="seconds of the same mix before measuring (first requests of each worker and backend)")
    parser.add_argument("--concurrency", type=int, default=8, help="load client threads (closed loop, no think time)")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="open loop instead: this many requests per second (Poisson arrivals), latency from the "
                             "scheduled start")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1,
                        help="gunicorn workers (default as barrier/gunicorn_conf.py: cores + 1)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread when > 1; default sync)")
    parser.add_argument("--no-preload", action="store_true",
                        help="every worker builds its own register index (instead of the master, shared)")
    parser.add_argument("--routes", default=",".join(r for r, spec in ROUTES.items() if spec[3]),
                        help=f"comma-separated routes of the mix (default all but the register search): {', '.join(ROUTES)}")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument("--keep", action="store_true", help="keep the database and its load plan for --database")
    parser.add_argument("--load-only", action="store_true", help="create and load the database, keep it, stop")
    parser.add_argument("--database", help="reuse a database kept by an earlier run (its name) instead of loading")
    parser.add_argument("--quick", action="store_true", help="2,000 applications, 20,000 entries, 15 s")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--load-client", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_client:
        print(json.dumps(run_load(json.loads(sys.stdin.read()))))
        return 0
    if args.quick:
        args.applications, args.register, args.duration, args.warmup = 2_000, 20_000, 15.0, 3.0
    routes = [r.strip() for r in args.routes.split(",") if r.strip() in ROUTES]
    keep = args.keep or args.load_only or bool(args.database)
    name = args.database or f"barrier_load_{os.getpid()}"
    load_before = os.getloadavg()
    print(f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; database {name}", flush=True)
    code = 1
    with tempfile.TemporaryDirectory(prefix="barrier-load-") as folder:
        instance = Path(folder)
        os.environ["BARRIER_INSTANCE_PATH"] = str(instance)
        url = _database_url(args.pg, name)
        server = None
        try:
            if args.database:
                plan, loader, migrate_s, load_s = reuse_plan(name)
                plan.database = name
            else:
                create_database(args.pg, name)
                migrate_s = migrate(url, instance)
                started = time.perf_counter()
                plan, loader = load_database(url, instance, args.applications, args.register, args.seed)
                plan.database = name
                load_s = time.perf_counter() - started
                print(f"migrated in {migrate_s:.1f} s, loaded in {load_s:.1f} s", flush=True)
                if keep:
                    save_plan(name, plan, loader, migrate_s, load_s)
                if args.load_only:
                    return 0
            uses_index = bool(NEEDS_INDEX & set(routes))
            server, port, ready_s = start_server(url, instance, args.workers, args.threads,
                                                 preload=uses_index and not args.no_preload)
            print(f"server ready in {ready_s:.1f} s", flush=True)
            if uses_index:
                warm = warm_up(server, port, plan, args.workers)
                print(f"workers warm in {warm['seconds']:.1f} s, RSS {warm['rss_mb']}, PSS total "
                      f"{warm['pss_total_mb']:.0f} MB", flush=True)
            else:  # no route of this mix uses the register index: no process builds it
                warm = {"seconds": 0.0, "pids": _children(server.pid), "skipped": True, **memory(server.pid)}
            warm["ready_s"] = ready_s
            result = drive(server, port, plan, duration=args.duration, concurrency=args.concurrency, seed=args.seed,
                           routes=routes, rate=args.rate, warmup=args.warmup)
            code = print_report(args, loader, load_s, migrate_s, warm, result, load_before)
            if any(r["errors"] for r in result["routes"].values()):
                lines = [line for line in (instance / "gunicorn.log").read_text().splitlines() if "alembic" not in line]
                print("\n".join(["", "gunicorn log (last lines):", *lines[-20:]]))
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
            if keep:
                print(f"kept database {url} (reuse with --database {name})")
            else:
                drop_database(args.pg, name)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
