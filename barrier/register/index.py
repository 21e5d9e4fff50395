"""The in-memory matching index of the register, one per process, keyed by the register version.

DESIGN.md (Storage and scale): the index is built from the register in memory per process and
rebuilt when the register's version changes. The key is the latest ``register_versions`` row:
its id *and* its random token, so a version that was rolled back is never taken for a committed
one. A change of a few entries (an edit, a delete, a confirmed proposal) is applied to the cached
index with ``Matcher.add`` / ``remove`` instead of a rebuild; an import rebuilds.

Under gunicorn (``barrier/gunicorn_conf.py``) the master builds the index before it forks, and
the workers inherit it copy-on-write (:func:`preload`): one build instead of one per worker. Each
worker then keeps its copy current on its own as above; after an import every worker rebuilds its
own (the shared pages are then no longer used) until the server is restarted.

Thread-safety: one re-entrant lock per process guards both the (re)build and every match, since
``Matcher`` is not safe to read while it is being changed. A match costs milliseconds, so the
lock is never held long except during a rebuild, which the waiting threads need anyway.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barrier.db import db
from barrier.models.register import RegisterVersion, RiskEntity
from barrier.register.records import INDEX_COLUMNS, entity_record_from_row
from screening.matching import ENGINE_VERSION, REVIEW_THRESHOLD, Hit, Matcher

log = logging.getLogger(__name__)

#: Above this many changed entries since the cached version, a rebuild is cheaper than updates.
MAX_INCREMENTAL = 5000
#: Above this many entries, callers that allow it get the previous index during a full rebuild.
BACKGROUND_REBUILD_ABOVE = 50_000
#: How many hits per screened subject are kept (the engine's default).
HITS_PER_SUBJECT = 10
_BUILD_BATCH = 10_000
#: From this many entries on, the built index is moved out of the garbage collector's reach.
FREEZE_ABOVE = 50_000


@dataclass
class RegisterIndex:
    """A built matcher with the register version it reflects."""

    version: int
    token: str
    matcher: Matcher
    # Entries with an end date: hits on them are dropped once it has passed (no rebuild per day).
    valid_until: dict[int, date] = field(default_factory=dict)
    built_in_seconds: float = 0.0
    updated_incrementally: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def size(self) -> int:
        return len(self.matcher)

    def _valid(self, hits: list[Hit], today: date) -> list[Hit]:
        return [h for h in hits if self.valid_until.get(h.entity_id, today) >= today]

    def match(self, record: Any, *, today: date, threshold: float | None = None) -> list[Hit]:
        with self.lock:
            hits = self.matcher.match(record, limit=HITS_PER_SUBJECT, threshold=threshold)
        return self._valid(hits, today)

    def match_many(self, records: list[Any], *, today: date, workers: int | None = 1) -> list[list[Hit]]:
        """Match a batch; ``workers=None`` uses every core (CLI only: the engine forks)."""
        if not records:
            return []
        with self.lock:
            results = self.matcher.match_many(records, limit=HITS_PER_SUBJECT, workers=workers)
        return [self._valid(hits, today) for hits in results]


_lock = threading.RLock()
_indexes: dict[str, RegisterIndex] = {}
_rebuilding: set[str] = set()


def head_version(session: Session | None = None) -> tuple[int, str]:
    """The register's current version (id, token); (0, '') for a register that never changed."""
    session = session or db.session
    row = session.execute(select(RegisterVersion.id, RegisterVersion.token)
                          .order_by(RegisterVersion.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, "")


def _database_key() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def _build(version: int, token: str) -> RegisterIndex:
    started = time.perf_counter()
    matcher = Matcher()
    valid_until: dict[int, date] = {}
    stmt = (select(*INDEX_COLUMNS).where(RiskEntity.deleted_at.is_(None))
            .order_by(RiskEntity.id).execution_options(yield_per=_BUILD_BATCH))
    batch: list[Any] = []
    for row in db.session.execute(stmt):
        batch.append(entity_record_from_row(row))
        if row.valid_until is not None:
            valid_until[row.id] = row.valid_until
        if len(batch) >= _BUILD_BATCH:
            matcher.add(batch)
            batch = []
    matcher.add(batch)
    index = RegisterIndex(version, token, matcher, valid_until, built_in_seconds=time.perf_counter() - started)
    if len(matcher) >= FREEZE_ABOVE:
        # Millions of long-lived index objects would make every full collection of the cyclic
        # garbage collector walk them all: a pause of seconds in whatever request triggers it
        # (p99 ~2 s under load at 1M). Frozen objects are skipped; an old index replaced by a
        # rebuild holds no reference cycles and is still freed by reference counting.
        gc.freeze()
    log.info("register index v%s built: %s entries in %.1f s (engine %s)", version, len(matcher),
             index.built_in_seconds, ENGINE_VERSION)
    return index


def _changed_ids(index: RegisterIndex, head: int) -> list[int] | None:
    """Entry ids changed after the cached version, or None when only a rebuild is safe."""
    if db.session.scalar(select(RegisterVersion.token).where(RegisterVersion.id == index.version)) != index.token \
            and index.version != 0:
        return None  # the cached version was rolled back
    rows = db.session.execute(select(RegisterVersion.id, RegisterVersion.entity_ids)
                              .where(RegisterVersion.id > index.version).order_by(RegisterVersion.id)).all()
    ids: list[int] = []
    for _version_id, entity_ids in rows:
        if entity_ids is None:
            return None  # an import: rebuild
        ids.extend(int(i) for i in entity_ids)
        if len(ids) > MAX_INCREMENTAL:
            return None
    return ids


def _apply(index: RegisterIndex, ids: list[int], version: int, token: str) -> None:
    rows = db.session.execute(select(*INDEX_COLUMNS, RiskEntity.deleted_at).where(RiskEntity.id.in_(set(ids)))).all()
    with index.lock:
        index.matcher.remove(ids)
        for row in rows:
            index.valid_until.pop(row.id, None)
            if row.deleted_at is not None:
                continue
            index.matcher.add([entity_record_from_row(row)])
            if row.valid_until is not None:
                index.valid_until[row.id] = row.valid_until
        index.version, index.token = version, token
        index.updated_incrementally += len(ids)


def current_index(*, allow_stale: bool = False) -> RegisterIndex:
    """The index of the register as this session sees it, built or updated when the version moved.

    With ``allow_stale`` (screening on submission, the search page), a large register that needs
    a full rebuild (after an import) keeps answering from the previous index while a thread
    rebuilds: a request must not wait minutes. Hits then carry the older version, so the
    re-screening that follows every register change screens those applications again.
    """
    version, token = head_version()
    key = _database_key()
    with _lock:
        index = _indexes.get(key)
        if index is not None and (index.version, index.token) == (version, token):
            return index
        if index is not None and version > index.version:
            ids = _changed_ids(index, version)
            if ids is not None:
                _apply(index, ids, version, token)
                return index
        if allow_stale and index is not None and index.size > BACKGROUND_REBUILD_ABOVE and _can_use_threads():
            _rebuild_in_background(current_app._get_current_object(), key)
            return index
        index = _build(version, token)
        _indexes[key] = index
        return index


def _can_use_threads() -> bool:
    # Tests share one connection between the test and the app: no second thread may use it.
    return has_app_context() and not current_app.testing


def _rebuild_in_background(app: Flask, key: str) -> None:
    if key in _rebuilding:
        return
    _rebuilding.add(key)

    def work() -> None:
        try:
            with app.app_context():
                version, token = head_version()
                fresh = _build(version, token)  # outside the lock: requests keep matching meanwhile
                with _lock:
                    current = _indexes.get(key)
                    if current is None or current.version <= version:
                        _indexes[key] = fresh
        except Exception:  # the next synchronous caller builds it; log and let requests go on
            log.exception("background rebuild of the register index failed")
        finally:
            _rebuilding.discard(key)
            with contextlib.suppress(Exception):
                db.session.remove()

    threading.Thread(target=work, name="register-index-rebuild", daemon=True).start()


def preload(app: Flask) -> RegisterIndex | None:
    """Build the index before a server forks its workers, so they share one copy.

    Called by gunicorn's master (``barrier/gunicorn_conf.py``, ``preload_app``): the forked workers
    inherit the built index copy-on-write instead of each building its own (at 1M entries: once
    ~1.3 GB and a minute or more, instead of that per worker); the caller freezes it out of the
    garbage collector's reach (``gc.freeze``) and closes the pool's connections before forking (a
    database connection must never be shared by forked processes).
    A database that is unreachable at start-up is logged, not fatal: the workers build the index
    on first use, as without preloading.
    """
    with app.app_context():
        try:
            return current_index()
        except Exception:
            log.exception("register index not preloaded; the workers build it on first use")
            return None
        finally:
            db.session.remove()


def cached_index_info() -> dict[str, Any] | None:
    """What this process holds for the current database, for the status page (no build)."""
    index = _indexes.get(_database_key())
    if index is None:
        return None
    return {"version": index.version, "size": index.size, "built_in_seconds": round(index.built_in_seconds, 2),
            "updated_incrementally": index.updated_incrementally}


def register_size() -> int:
    return db.session.scalar(select(func.count()).select_from(RiskEntity).where(RiskEntity.deleted_at.is_(None))) or 0


def clear_cache() -> None:
    """Forget every cached index (tests; a beheerder never needs this)."""
    with _lock:
        _indexes.clear()


__all__ = ["REVIEW_THRESHOLD", "RegisterIndex", "cached_index_info", "clear_cache", "current_index", "head_version",
           "preload"]
