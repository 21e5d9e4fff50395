"""App-level timing of the inspection planner: ``python -m benchmarks.inspections_app``.

``benchmarks/planning.py`` times the engine alone. This script times what the app adds around it,
on a real database (SQLite in a temporary folder, or ``--database-url postgresql://...``): reading
the locations, building the facts with a fixed number of queries (``barrier.inspections.facts``),
scoring every location, and proposing a quarter's plan for one gemeente
(``barrier.inspections.planning.compute_plan``, the code behind the planning page and the CLI).

Scenario per size: N locations in one gemeente (70 % with a permit), a third inspected before
with findings, some open measures and open signals, 8 inspectors at 4 visits a week, 13 weeks.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select


def _seed(db, n: int, rng: random.Random, today: date) -> int:
    from barrier.auth.services import create_user
    from barrier.models import Gemeente, Permit, PermitType, Role
    from barrier.models.inspections import (
        EnforcementMeasure,
        Inspection,
        InspectionLocation,
        InspectionStatus,
        LocationKind,
    )
    from barrier.models.parties import Address
    from barrier.models.signals import Signal
    from barrier.region import seed_gemeenten

    seed_gemeenten()
    gemeente = db.session.scalar(select(Gemeente).where(Gemeente.cbs_code == "GM0106"))
    for k in range(8):
        create_user(email=f"toezicht{k}@bench.demo", full_name=f"Toezichthouder {k}",
                    password="Bench-wachtwoord-2026",  # noqa: S106 - throwaway benchmark database
                    role=Role.TOEZICHTHOUDER, gemeente_id=gemeente.id)
    kinds = [(LocationKind.HUISVESTING_AM, PermitType.VERHUURVERGUNNING)] * 3 + [
        (LocationKind.SEKSBEDRIJF, PermitType.SEKSINRICHTING), (LocationKind.ESCORTBEDRIJF, PermitType.ESCORTBEDRIJF)]
    conn = db.session.connection()
    addresses = [{"street": "Benchstraat", "house_number": str(i), "postcode": f"94{rng.randint(0, 99):02d} AB",
                  "city": "Assen", "gemeente_id": gemeente.id, "latitude": 52.9 + rng.random() * 0.2,
                  "longitude": 6.4 + rng.random() * 0.3, "created_at": today, "updated_at": today} for i in range(n)]
    address_ids = list(db.session.scalars(insert(Address).returning(Address.id), addresses))
    permits, locations = [], []
    for i, address_id in enumerate(address_ids):
        kind, permit_type = rng.choice(kinds)
        if rng.random() < 0.7:
            permits.append({"permit_number": f"B-{i}", "gemeente_id": gemeente.id, "permit_type": permit_type,
                            "holder_name": f"Houder {i}", "location_id": address_id,
                            "valid_from": today - timedelta(days=800), "max_persons": 8, "status": "geldig",
                            "created_at": today, "updated_at": today, "conditions": ""})
        locations.append({"gemeente_id": gemeente.id, "address_id": address_id, "kind": kind, "name": f"Locatie {i}",
                          "created_at": today, "updated_at": today})
    rows = db.session.execute(insert(Permit).returning(Permit.id, Permit.location_id), permits).all()
    by_address = {location_id: permit_id for permit_id, location_id in rows}
    for row in locations:
        row["permit_id"] = by_address.get(row["address_id"])
    location_ids = list(db.session.scalars(insert(InspectionLocation).returning(InspectionLocation.id), locations))
    inspections, measures, signals = [], [], []
    for location_id in location_ids:
        if rng.random() < 1 / 3:
            inspections.append({"submission_token": str(uuid.UUID(int=rng.getrandbits(128))), "gemeente_id": gemeente.id,
                                "location_id": location_id, "checklist_code": "INS-WGV", "checklist_version": 1,
                                "inspected_on": today - timedelta(days=rng.randint(10, 500)),
                                "status": InspectionStatus.AFGEROND, "answers": {}, "occupancy": rng.randint(4, 12),
                                "violation_count": rng.choice([0, 0, 1, 2]), "signal_ids": [], "notes": "",
                                "partner_name": "", "created_at": today, "updated_at": today})
    inspection_rows = db.session.execute(insert(Inspection).returning(Inspection.id, Inspection.location_id),
                                         inspections).all()
    for inspection_id, location_id in inspection_rows[: len(inspection_rows) // 10]:
        measures.append({"gemeente_id": gemeente.id, "location_id": location_id, "inspection_id": inspection_id,
                         "violation_item_id": "INS-WGV-23", "violation_text": "", "measure_code": "WAARSCHUWING",
                         "parameters": {}, "issued_on": today, "status": "open", "closing_note": "",
                         "created_at": today, "updated_at": today})
    for location_id in rng.sample(location_ids, k=max(1, n // 50)):
        signals.append({"gemeente_id": gemeente.id, "location_id": location_id, "signal_ids": ["SIG-HUI-02"],
                        "total_weight": 2, "reported_on": today, "stage": "AANDACHTFUNCTIONARIS", "status": "open",
                        "vorm": "arbeid", "urgency": "normaal", "source": "collega", "observation": "", "persons": "",
                        "address_text": "", "closing_note": "", "created_at": today, "updated_at": today})
    if measures:
        conn.execute(insert(EnforcementMeasure), measures)
    conn.execute(insert(Signal), signals)
    db.session.commit()
    return gemeente.id


def run(sizes: list[int], database_url: str | None, seed: int) -> None:
    from flask_migrate import upgrade

    from barrier import create_app
    from barrier.db import db
    from barrier.inspections.facts import build_facts
    from barrier.inspections.planning import compute_plan, inspectors_of
    from barrier.models.inspections import InspectionLocation
    from screening.planning import score_location

    today = date.today()  # noqa: DTZ011
    start = today + timedelta(days=7 - today.weekday())
    print(f"{'locaties':>9} {'facts (s)':>10} {'score (s)':>10} {'plan 13 wk (s)':>15} {'bezoeken':>9} "
          f"{'niet ingepland':>15}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url = database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "PASSWORD_HASH_COST": (1, 64),
                              "UPLOAD_FOLDER": tmp})
            with app.app_context():
                if url.startswith("postgresql"):
                    db.drop_all()
                upgrade()
                gemeente_id = _seed(db, n, random.Random(seed), today)
                locations = list(db.session.scalars(select(InspectionLocation)))
                t0 = time.perf_counter()
                facts = build_facts(locations, today=today)
                t1 = time.perf_counter()
                for f in facts.values():
                    score_location(f, today=today)
                t2 = time.perf_counter()
                computed = compute_plan(gemeente_id, start=start, weeks=13,
                                        capacities=[(u, 4) for u in inspectors_of(gemeente_id)], today=today)
                t3 = time.perf_counter()
                print(f"{n:>9} {t1 - t0:>10.2f} {t2 - t1:>10.2f} {t3 - t2:>15.2f} {len(computed.plan.visits):>9} "
                      f"{len(computed.plan.unplanned):>15}")
                db.session.rollback()
                if url.startswith("postgresql"):
                    db.drop_all()
                db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="Aantallen locaties, komma-gescheiden.")
    parser.add_argument("--database-url", default=None, help="Standaard: SQLite in een tijdelijke map.")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    run([int(s) for s in args.sizes.split(",")], args.database_url, args.seed)


if __name__ == "__main__":
    main()
