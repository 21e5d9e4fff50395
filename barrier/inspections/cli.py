"""``flask --app wsgi inspection-plan``: the planner from the command line, as a dry run (issue 6 §3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

import click
from sqlalchemy import select

from barrier.db import db
from barrier.inspections import bp
from barrier.inspections.planning import DEFAULT_CAPACITY_PER_WEEK, compute_plan, inspectors_of
from barrier.models import Gemeente
from screening.planning import Plan, PlanningError, plan_to_csv, plan_to_ical


def merge_plans(plans: list[tuple[Gemeente, Plan]]) -> Plan:
    """One plan for several gemeenten (each planned with its own inspectors), warnings prefixed."""
    first = plans[0][1]
    scores: dict = {}
    for _g, p in plans:
        scores.update(p.scores)
    return replace(
        first,
        visits=tuple(sorted((v for _g, p in plans for v in p.visits),
                            key=lambda v: (v.date, v.inspector_ids, v.sequence, v.location_id))),
        unplanned=tuple(u for _g, p in plans for u in p.unplanned),
        warnings=tuple(f"{g.name}: {w}" for g, p in plans for w in p.warnings),
        inspectors=tuple(i for _g, p in plans for i in p.inspectors),
        capacity=sum(p.capacity for _g, p in plans),
        used_capacity=sum(p.used_capacity for _g, p in plans),
        not_due=tuple(n for _g, p in plans for n in p.not_due),
        scores=MappingProxyType(scores),
    )


@bp.cli.command("inspection-plan")
@click.option("--start", "start", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Eerste dag van de periode (JJJJ-MM-DD).")
@click.option("--weeks", required=True, type=int, help="Aantal weken.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Uitvoerbestand: .ics (agenda) of .csv (spreadsheet).")
@click.option("--gemeente", "gemeente_code", default="", help="CBS-code (GM0106); leeg = alle gemeenten.")
@click.option("--capacity", default=DEFAULT_CAPACITY_PER_WEEK, show_default=True, type=click.IntRange(0, 40),
              help="Controles per toezichthouder per week.")
def inspection_plan_command(start, weeks: int, output: Path, gemeente_code: str, capacity: int) -> None:
    """Stel een inspectieplan voor op de huidige gegevens (proefrun: er wordt niets opgeslagen)."""
    extension = output.suffix.lower()
    if extension not in (".ics", ".csv"):
        raise click.ClickException("Kies een uitvoerbestand met de extensie .ics (agenda) of .csv (spreadsheet).")
    stmt = select(Gemeente).where(Gemeente.is_active.is_(True)).order_by(Gemeente.name)
    if gemeente_code:
        stmt = stmt.where(Gemeente.cbs_code == gemeente_code.strip().upper())
    gemeenten = list(db.session.scalars(stmt))
    if gemeente_code and not gemeenten:
        raise click.ClickException(f"Onbekende gemeentecode {gemeente_code}.")
    today = date.today()  # noqa: DTZ011 - the server's local date is the working day
    plans: list[tuple[Gemeente, Plan]] = []
    try:
        for gemeente in gemeenten:
            inspectors = inspectors_of(gemeente.id)
            computed = compute_plan(gemeente.id, start=start.date(), weeks=weeks,
                                    capacities=[(u, capacity) for u in inspectors], today=today)
            if computed.locations or inspectors:
                plans.append((gemeente, computed.plan))
    except PlanningError as error:
        raise click.ClickException(str(error)) from error
    finally:
        # A dry run: locations synced from permits while planning are not kept either.
        db.session.rollback()
    if not plans:
        raise click.ClickException("Er zijn geen locaties of toezichthouders om te plannen.")
    plan = merge_plans(plans)
    body = plan_to_ical(plan) if extension == ".ics" else plan_to_csv(plan, bom=True).encode("utf-8")
    output.write_bytes(body)
    click.echo(f"Proefrun, niets opgeslagen. Periode {plan.period_start:%d-%m-%Y} t/m {plan.period_end:%d-%m-%Y}: "
               f"{len(plan.visits)} bezoek(en) gepland, {len(plan.unplanned)} niet ingepland, "
               f"capaciteit {plan.capacity} (gebruikt {plan.used_capacity}).")
    for warning in plan.warnings:
        click.echo(f"Let op: {warning}")
    click.echo(f"Geschreven naar {output}.")
