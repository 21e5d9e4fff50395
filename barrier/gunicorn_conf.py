"""gunicorn settings for Barrier: ``gunicorn -c python:barrier.gunicorn_conf wsgi:app``.

Measured with ``python -m benchmarks.load`` (README, Performance) on 2 cores: one-threaded (sync)
workers, one more than the cores, answer the page mix faster and with a shorter tail than fewer
workers with threads (85.9 against 72.6 requests/s; p95 138 against 205 ms for the list), because
ORM and template work hold the GIL and threads of one worker only take turns. Sync workers need
a buffering proxy in front (nginx, or the gemeente's TLS proxy), as in every production set-up.

The app is loaded in the master (``preload_app``) and the register index is built there before
the workers fork, so all workers share one copy of it (``barrier.register.index.preload``).
Every value can be overridden on the command line (``--workers 8``) or in ``GUNICORN_CMD_ARGS``.
"""

from __future__ import annotations

import os
from typing import Any

bind = os.environ.get("BARRIER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("BARRIER_WORKERS", (os.cpu_count() or 1) + 1))
worker_class = "sync"
timeout = 120  # a Bibob report of a hundred pages or a large CSV export may take seconds
preload_app = True
# Recycle workers now and then (a slow leak cannot grow for ever); the jitter keeps them from
# restarting together. A new worker forks from the master and so inherits the preloaded index.
max_requests = 20_000
max_requests_jitter = 2_000


def when_ready(server: Any) -> None:
    """Before the first worker forks: compile templates and mappers, build the register index.

    Every worker, and every worker that replaces a recycled one, then starts warm: without this
    the first requests of each worker compiled the templates they render (up to 0.5 s each under
    load, measured with benchmarks/load.py).
    """
    import gc

    from flask import Flask

    app = server.app.wsgi()
    if not isinstance(app, Flask):
        return
    warm(app)
    if os.environ.get("BARRIER_PRELOAD_REGISTER_INDEX", "1") not in {"0", "false", "no"}:
        from barrier.register.index import preload

        index = preload(app)
        if index is not None:
            server.log.info("register index v%s preloaded: %s entries in %.1f s", index.version, index.size,
                            index.built_in_seconds)
    with app.app_context():
        from barrier.db import db

        db.engine.dispose()  # no connection of the master may be inherited by the workers
    gc.freeze()  # what the master built stays shared: the workers' collectors leave those pages alone


def warm(app: Any) -> None:
    """Configure the ORM mappers and compile every template."""
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    for name in app.jinja_env.list_templates(extensions=("html", "txt", "xml", "ics")):
        app.jinja_env.get_template(name)
