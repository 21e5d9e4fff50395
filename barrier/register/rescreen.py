"""Re-screening every open application and every permit in force after a register change.

The one long-running job of the register (DESIGN.md "Storage and scale"): the CLI command
``register-rescreen`` and the beheerder's button run this same runner. Unlike a service it
commits, once per batch, so a run that is killed half-way keeps what it did: every screened
application records the register version it was screened against, and the next run skips it.
Running it twice is harmless (idempotent): decisions on hits are kept unless data or scores change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from barrier import audit
from barrier.db import db, utcnow
from barrier.models import User
from barrier.models.register import RescreenRun, RescreenStatus
from barrier.register import services
from barrier.register.index import RegisterIndex, current_index

log = logging.getLogger(__name__)

#: Applications per batch (and per commit).
BATCH_SIZE = 50
#: A run that reported no progress for this long is taken to have died (server restart).
STALE_AFTER = timedelta(minutes=5)

_start_lock = threading.Lock()


def _today() -> date:
    return date.today()  # noqa: DTZ011 - the server's local date is the working day


def active_run() -> RescreenRun | None:
    """The run in progress, if any; runs without a heartbeat for a while are marked as failed."""
    running = list(db.session.scalars(select(RescreenRun).where(RescreenRun.status == RescreenStatus.BEZIG)))
    alive = None
    for run in running:
        heartbeat = run.heartbeat_at if run.heartbeat_at.tzinfo else run.heartbeat_at.replace(tzinfo=utcnow().tzinfo)
        if utcnow() - heartbeat > STALE_AFTER:
            run.status, run.error = RescreenStatus.MISLUKT, "Afgebroken: geen voortgang meer (server herstart?)."
            run.finished_at = utcnow()
        else:
            alive = run
    return alive


def new_run(*, actor: User | None, index: RegisterIndex) -> RescreenRun:
    run = RescreenRun(register_version=index.version, started_by_id=actor.id if actor else None)
    db.session.add(run)
    db.session.flush()
    audit.record("register.rescreen_started", object_type="rescreen_runs", object_id=run.id,
                 gemeente_id=actor.gemeente_id if actor else None, actor=actor, register_version=index.version)
    return run


def execute(run: RescreenRun, *, index: RegisterIndex | None = None, actor: User | None = None,
            batch_size: int = BATCH_SIZE, workers: int | None = 1, force: bool = False, expunge: bool = False,
            on_total: Callable[[int, int], None] | None = None,
            progress: Callable[[int], None] | None = None) -> RescreenRun:
    """Screen what is not yet screened against the index's version, committing per batch.

    ``expunge`` empties the session after each batch to keep memory flat over thousands of
    applications: for the CLI and the background thread, which own their session.
    """
    index = index or current_index()
    run_id, actor_id = run.id, actor.id if actor else None
    today = _today()
    run.register_version = index.version
    pending, total = services.rescreen_targets(version=index.version, today=today, force=force)
    run.total, run.skipped, run.heartbeat_at = total, total - len(pending), utcnow()
    db.session.commit()
    if on_total:
        on_total(len(pending), total)
    for start in range(0, len(pending), batch_size):
        chunk = pending[start:start + batch_size]
        apps = services.load_for_screening(chunk)
        result = services.screen_applications(apps, actor=actor, index=index, today=today, workers=workers)
        run.done += len(chunk)
        run.new_hits += result.new_open
        run.reopened_hits += result.reopened
        run.heartbeat_at = utcnow()
        db.session.commit()
        if expunge:
            db.session.expunge_all()
            run = db.session.get(RescreenRun, run_id)
            actor = db.session.get(User, actor_id) if actor_id else None
        if progress:
            progress(len(chunk))
    run.status, run.finished_at = RescreenStatus.KLAAR, utcnow()
    audit.record("register.rescreened", object_type="rescreen_runs", object_id=run.id, actor=actor,
                 register_version=index.version, screened=run.done, skipped=run.skipped, new_hits=run.new_hits,
                 reopened=run.reopened_hits)
    db.session.commit()
    return run


def start_in_background(app: Flask, run_id: int, actor_id: int | None) -> threading.Thread:
    """Run :func:`execute` in a thread of this process (the button); progress is read from the row."""

    def work() -> None:
        with app.app_context():
            try:
                run = db.session.get(RescreenRun, run_id)
                actor = db.session.get(User, actor_id) if actor_id else None
                execute(run, actor=actor, expunge=True)
            except Exception as error:  # the page must show the failure, not a run "bezig" forever
                log.exception("re-screening run %s failed", run_id)
                db.session.rollback()
                run = db.session.get(RescreenRun, run_id)
                if run is not None:
                    run.status, run.finished_at = RescreenStatus.MISLUKT, utcnow()
                    run.error = f"{type(error).__name__}: {error}"[:500]
                    db.session.commit()
            finally:
                db.session.remove()

    thread = threading.Thread(target=work, name=f"register-rescreen-{run_id}", daemon=True)
    thread.start()
    return thread


def start_lock() -> threading.Lock:
    """Held while a run is being started, so two clicks in one process start one run."""
    return _start_lock
