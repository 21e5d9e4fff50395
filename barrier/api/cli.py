"""Commands of the api area: housekeeping of the integration API."""

from __future__ import annotations

import click

from barrier.api import bp, services
from barrier.db import db


@bp.cli.command("api-prune")
def api_prune_command() -> None:
    """Vergeet verlopen Idempotency-Keys (ouder dan API_IDEMPOTENCY_DAYS); dagelijks te draaien."""
    removed = services.prune_idempotency_records()
    db.session.commit()
    click.echo(f"{removed} verlopen idempotentie-sleutel(s) verwijderd.")
