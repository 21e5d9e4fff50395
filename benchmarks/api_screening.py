"""Screening requests per second through the integration API under gunicorn: ``python -m benchmarks.api_screening``.

What it does, per run:

1. builds a database (SQLite in a temporary folder, or ``--database-url postgresql://...``) with the
   migrations, the gemeenten, an API client with ``screening:match``, and a synthetic register of
   ``--size`` entries (the seeded generator of ``benchmarks.matching``: Dutch and foreign names, companies,
   addresses), written with bulk inserts and one register version, as an import would;
2. times the engine alone on the same register (``screening.matching.Matcher.match``, one query at a time,
   in this process): the single-query figure the API is compared with;
3. starts ``gunicorn --workers N wsgi:app`` in a subprocess on 127.0.0.1, warms every worker (each builds
   the register index once, as in production), then runs a load client in *another process*: C threads,
   each posting single-person screening requests (``POST /api/v1/screening``, one subject, half of them
   variants of register entries, half unlisted people) over loopback for ``--duration`` seconds;
4. prints a markdown table: requests per second, latency p50/p95/p99, errors, beside the engine figure.

Every API request does the whole production path: key lookup, scope, rate limit (in-memory storage per
worker), validation, the index match, loading the hit entries, an audit row and a commit.

``--quick`` uses a 10k register and 10 s of load (well under a minute). The target of issue 8 is at least
200 requests per second for single-person queries on a 1M register on this 2-core machine; the load client
shares those two cores with the workers, so the figure is a lower bound.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TARGET_RPS = 200


# --- the database ------------------------------------------------------------------------------------

def _entity_row(record: Any, today: date, now) -> dict[str, Any]:
    from barrier.models.register import Confidentiality, EntityKind, RegisterSource
    from barrier.register.services import search_text_for
    from screening.matching import AddressRecord, Organisation, Person

    address = getattr(record, "address", None)
    values: dict[str, Any] = {
        "given_names": "", "surname_prefix": "", "surname": "", "birth_date": None, "nationality": "",
        "bsn_digest": None, "bsn_last4": None, "name": "", "legal_form": "", "kvk_number": None,
        "street": getattr(address, "street", "") or "", "house_number": getattr(address, "house_number", "") or "",
        "house_number_suffix": getattr(address, "house_number_suffix", "") or "",
        "postcode": getattr(address, "postcode", "") or "", "city": getattr(address, "city", "") or "",
        "country": (getattr(address, "country", "") or "NL")[:2],
        "source": RegisterSource.RIEC_SIGNAAL, "reason": "Synthetische registratie (benchmark)", "gemeente_id": None,
        "recorded_on": today, "valid_until": None, "confidentiality": Confidentiality.REGIONAAL,
        "created_at": now, "updated_at": now, "version": 1, "external_id": None,
    }
    if isinstance(record, Person):
        birth = record.birth_date if isinstance(record.birth_date, date) else None
        values.update(kind=EntityKind.PERSON, given_names=record.given_names[:200],
                      surname_prefix=record.surname_prefix[:30], surname=record.surname[:200], birth_date=birth,
                      nationality=(record.nationality or "")[:80])
    elif isinstance(record, Organisation):
        values.update(kind=EntityKind.ORGANISATION, name=record.name[:200], legal_form=(record.legal_form or "")[:60],
                      kvk_number=(record.kvk_number or None))
    else:
        assert isinstance(record, AddressRecord)
        values.update(kind=EntityKind.ADDRESS)
    values["house_number"] = values["house_number"][:10]
    values["house_number_suffix"] = values["house_number_suffix"][:10]
    values["postcode"] = values["postcode"][:10]
    values["search_text"] = search_text_for(values)
    return values


def prepare(database_url: str, instance: Path, size: int, seed: int) -> tuple[str, list[Any], list[Any]]:
    """Migrate, seed and fill the database; returns (API key, register records, person queries)."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from barrier import create_app
    from barrier.api import keys
    from barrier.db import db, utcnow
    from barrier.models.api import ApiClient
    from barrier.models.register import RiskEntity
    from barrier.region import seed_gemeenten
    from barrier.register.services import bump_version
    from benchmarks.matching import make_queries, make_register
    from screening.matching import Person

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "benchmark"})
    started = time.perf_counter()
    truths, gen = make_register(size, seed=seed)
    records = [t.record for t in truths]
    queries = [q for q, _truth in make_queries(truths, gen, 600, 600, seed=seed + 1) if isinstance(q, Person)]
    del truths
    print(f"register of {size:,} generated in {time.perf_counter() - started:.1f} s", flush=True)
    with app.app_context():
        upgrade()
        seed_gemeenten()
        started = time.perf_counter()
        today, now = date.today(), utcnow()  # noqa: DTZ011
        batch = []
        for record in records:
            batch.append(_entity_row(record, today, now))
            if len(batch) >= 10_000:
                db.session.execute(insert(RiskEntity.__table__), batch)
                batch = []
        if batch:
            db.session.execute(insert(RiskEntity.__table__), batch)
        bump_version("import", f"benchmark: {size} entries", actor=None, entity_ids=None)
        key = keys.new_key()
        db.session.add(ApiClient(name="Benchmark", description="", gemeente_id=None, scopes=["screening:match"],
                                 rate_limit="1000000 per minute", key_prefix=key.prefix, key_hash=key.digest))
        db.session.commit()
        db.engine.dispose()
        print(f"written to the database in {time.perf_counter() - started:.1f} s", flush=True)
    return key.plaintext, records, queries


def subject_of(query: Any) -> dict[str, Any]:
    birth = query.birth_date
    return {"kind": "persoon", "given_names": query.given_names, "surname_prefix": query.surname_prefix,
            "surname": query.surname or "x",
            **({"birth_date": birth.isoformat()} if isinstance(birth, date) else {})}


# --- the engine alone -------------------------------------------------------------------------------

def engine_figure(records: list[Any], queries: list[Any]) -> dict[str, float]:
    from screening.matching import Matcher

    started = time.perf_counter()
    matcher = Matcher(records)
    build_s = time.perf_counter() - started
    latencies = []
    cpu_started = time.process_time()
    for query in queries:
        t0 = time.perf_counter()
        matcher.match(query)
        latencies.append((time.perf_counter() - t0) * 1000)
    cpu_ms = (time.process_time() - cpu_started) * 1000 / max(1, len(queries))
    del matcher
    gc.unfreeze()
    gc.collect()
    return {"build_s": build_s, "p50": _pct(latencies, 0.5), "p95": _pct(latencies, 0.95),
            "p99": _pct(latencies, 0.99), "qps": 1000 / statistics.fmean(latencies), "cpu_ms": cpu_ms}


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


# --- the server and the load ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, key: str, body: bytes, timeout: float) -> tuple[int, float]:
    """POST on a fresh connection (gunicorn's sync workers close it after each answer); 0 on a network error."""
    parts = urlsplit(url)
    t0 = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("POST", parts.path, body=body, headers={
            "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, (time.perf_counter() - t0) * 1000


def load(url: str, key: str, bodies: list[bytes], duration: float, concurrency: int) -> dict[str, Any]:
    """The load client (run in its own process): C threads posting for *duration* seconds."""
    stop = time.perf_counter() + duration
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def worker(offset: int) -> None:
        i = offset
        mine, counts = [], {}
        while time.perf_counter() < stop:
            status, ms = _post(url, key, bodies[i % len(bodies)], timeout=60)
            counts[status] = counts.get(status, 0) + 1
            if status == 200:
                mine.append(ms)
            i += concurrency
        with lock:
            latencies.extend(mine)
            for status, n in counts.items():
                statuses[status] = statuses.get(status, 0) + n

    started = time.perf_counter()
    cpu_started = time.process_time()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ok = statuses.get(200, 0)
    return {"client_cpu_ms": (time.process_time() - cpu_started) * 1000 / max(1, sum(statuses.values())),
            "rps": ok / elapsed, "ok": ok, "errors": sum(statuses.values()) - ok, "statuses": statuses,
            "p50": _pct(latencies, 0.5), "p95": _pct(latencies, 0.95), "p99": _pct(latencies, 0.99),
            "seconds": elapsed}


def _cpu_seconds_of_children(pid: int) -> float:
    """User + system CPU of a process's children (the gunicorn workers), from /proc (Linux)."""
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for child in children:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def serve_and_load(database_url: str, instance: Path, key: str, bodies: list[bytes], *, workers: int,
                   duration: float, concurrency: int) -> dict[str, Any]:
    port = _free_port()
    env = {**os.environ, "BARRIER_DATABASE_URL": database_url, "BARRIER_INSTANCE_PATH": str(instance),
           "BARRIER_SECRET_KEY": "benchmark", "BARRIER_SESSION_COOKIE_SECURE": "0", "BARRIER_HSTS": "0"}
    server = subprocess.Popen(  # the app as production runs it
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--timeout", "1800", "--log-level", "warning", "wsgi:app"], cwd=PROJECT_ROOT, env=env)
    url = f"http://127.0.0.1:{port}/api/v1/screening"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        started = time.perf_counter()
        # Each worker builds the register index on its first screening request: warm them all at once.
        warm = [threading.Thread(target=_post, args=(url, key, bodies[i], 1800)) for i in range(workers * 2)]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()
        for body in bodies[:50]:
            status, _ms = _post(url, key, body, 1800)
            if status != 200:
                raise RuntimeError(f"warm-up request answered {status}")
        print(f"gunicorn workers warm (index built per worker) in {time.perf_counter() - started:.1f} s", flush=True)
        payload = json.dumps({"url": url, "key": key, "duration": duration, "concurrency": concurrency,
                              "bodies": [b.decode() for b in bodies]})
        cpu_before = _cpu_seconds_of_children(server.pid)
        client = subprocess.run([sys.executable, "-m", "benchmarks.api_screening", "--load-client"], input=payload,
                                capture_output=True, text=True, cwd=PROJECT_ROOT, check=True)
        result = json.loads(client.stdout)
        requests_done = max(1, sum(result["statuses"].values()))
        result["server_cpu_ms"] = (_cpu_seconds_of_children(server.pid) - cpu_before) * 1000 / requests_done
        return result
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _load_client_main() -> None:
    args = json.loads(sys.stdin.read())
    result = load(args["url"], args["key"], [b.encode() for b in args["bodies"]], args["duration"],
                  args["concurrency"])
    print(json.dumps(result))


# --- the table ---------------------------------------------------------------------------------------------

def print_table(size: int, workers: int, concurrency: int, engine: dict[str, float], api: dict[str, Any],
                database: str) -> None:
    load1, load5, _load15 = os.getloadavg()
    print()
    print(f"Screening, single-person queries, register of {size:,} entries ({database}); "
          f"gunicorn {workers} sync workers, load client {concurrency} threads in another process, "
          f"{os.cpu_count()} cores shared (load average at the end {load1:.1f}, 5 min {load5:.1f}).")
    print()
    print("| path | requests/s | p50 ms | p95 ms | p99 ms | CPU ms/request | errors | note |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    print(f"| engine alone (`Matcher.match`, 1 thread, in process) | {engine['qps']:,.0f} | {engine['p50']:.2f} | "
          f"{engine['p95']:.2f} | {engine['p99']:.2f} | {engine['cpu_ms']:.2f} | 0 | "
          f"index build {engine['build_s']:.1f} s |")
    verdict = "meets" if api["rps"] >= TARGET_RPS else "below"
    print(f"| `POST /api/v1/screening` via gunicorn | {api['rps']:,.0f} | {api['p50']:.1f} | {api['p95']:.1f} | "
          f"{api['p99']:.1f} | {api['server_cpu_ms']:.1f} | {api['errors']} | {verdict} the target of "
          f"{TARGET_RPS} req/s; {api['ok']:,} requests in {api['seconds']:.0f} s; the client used "
          f"{api['client_cpu_ms']:.1f} ms CPU per request |")
    capacity = 1000 * (os.cpu_count() or 1) / api["server_cpu_ms"] if api["server_cpu_ms"] else 0
    print()
    print(f"Workers' CPU per request {api['server_cpu_ms']:.1f} ms: on {os.cpu_count()} otherwise idle cores "
          f"(no client, database elsewhere) the workers could serve about {capacity:,.0f} requests/s.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="register entries (default 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="10k register, 10 s of load")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--database-url", help="postgresql://... of a scratch database: its public schema is "
                        "dropped and rebuilt (default: SQLite in a temporary folder)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--load-client", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_client:
        _load_client_main()
        return 0
    if args.quick:
        args.size, args.duration = 10_000, 10.0
    with tempfile.TemporaryDirectory(prefix="barrier-bench-") as folder:
        instance = Path(folder)
        database_url = args.database_url or f"sqlite:///{instance / 'bench.sqlite'}"
        if database_url.startswith("postgres"):
            _reset_postgres(database_url)
        key, records, queries = prepare(database_url, instance, args.size, args.seed)
        random.Random(args.seed).shuffle(queries)
        engine = engine_figure(records, queries)
        del records
        gc.collect()
        bodies = [json.dumps({"subjects": [subject_of(q)]}).encode() for q in queries]
        api = serve_and_load(database_url, instance, key, bodies, workers=args.workers, duration=args.duration,
                             concurrency=args.concurrency)
    print_table(args.size, args.workers, args.concurrency, engine, api,
                "PostgreSQL" if database_url.startswith("postgres") else "SQLite")
    return 0 if api["errors"] == 0 else 1


def _reset_postgres(url: str) -> None:
    import sqlalchemy as sa

    from barrier.config import resolve_database_url

    engine = sa.create_engine(resolve_database_url(url, "."))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
