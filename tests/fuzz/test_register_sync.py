"""Hostile JSON Lines to the API's register sync: a problem document or the whole sync, never half.

Bodies from tests/fuzz/register_files.py: valid upserts and deletes among lines that are not JSON,
not objects, of the wrong shape or type, hostile or oversized values, formulas, duplicate and
unknown external ids, in the wrong encoding, cut off half-way, over the size limit, with the wrong
media type. For every body:

* never 5xx; 200 or a problem (400, 413, 415, 422) as ``application/problem+json`` in Dutch, a
  422 naming each wrong line and field (``lines[3].kvk_number``);
* any refusal leaves the register as it was (entries, deleted or not, and the version);
* a 200 did what it says: a new version, created entries added, the active ones changed by created
  - deleted (+ deleted ones brought back by an upsert), and no stored text starts like a formula.

Successful syncs stay in the test's transaction, so later bodies update and delete entries that
earlier ones created.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from barrier.api import keys
from barrier.models.api import ApiClient
from barrier.models.register import RegisterVersion, RiskEntity
from barrier.register import importer
from tests.factories import gemeente_by_code
from tests.fuzz.conftest import DERANDOMIZE, EXAMPLES, TALLY
from tests.fuzz.register_files import jsonl_body

SYNC_EXAMPLES = max(EXAMPLES * 10, 20)
MEDIA_TYPES = ["application/jsonl", "application/jsonl", "application/jsonl", "application/x-ndjson",
               "application/json", "text/csv", "text/plain; charset=latin-1", ""]
# lines, lines[3], lines[3].kvk_number, or lines[3].<an unknown field as sent>
PARAM_NAME = re.compile(r"^lines(\[\d+\](\..+)?)?$", re.DOTALL)
#: Small for the fuzz, so that long lines cross it now and then (production: 25 MB).
SIZE_LIMIT = 256 * 1024


def _state(db) -> tuple[int, int, int, int]:
    """(entries, active entries, versions, latest version)."""
    return (db.session.scalar(select(func.count()).select_from(RiskEntity)),
            db.session.scalar(select(func.count()).select_from(RiskEntity).where(RiskEntity.deleted_at.is_(None))),
            db.session.scalar(select(func.count()).select_from(RegisterVersion)),
            db.session.scalar(select(func.max(RegisterVersion.id))) or 0)


def test_hostile_json_lines_are_refused_whole_or_synced_whole(app, client, db, monkeypatch):
    key = keys.new_key()
    db.session.add(ApiClient(name="Fuzzkoppeling", description="", gemeente_id=gemeente_by_code(db.session, "GM0106").id,
                             scopes=["register:write"], rate_limit="1000000 per minute", key_prefix=key.prefix,
                             key_hash=key.digest))
    db.session.commit()
    headers = {"Authorization": f"Bearer {key.plaintext}"}
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", SIZE_LIMIT)

    @settings(max_examples=SYNC_EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(body=jsonl_body(), media_type=st.sampled_from(MEDIA_TYPES))
    def example(body, media_type):
        before = _state(db)
        response = client.post("/api/v1/register/sync", data=body, content_type=media_type or None,
                               headers=headers)
        status = response.status_code
        TALLY.add("register sync: JSON Lines", status)
        assert status in (200, 400, 413, 415, 422), (status, response.get_data(as_text=True)[:1000])
        answer = response.get_json(force=True, silent=True)
        assert isinstance(answer, dict), response.get_data(as_text=True)[:500]
        if status != 200:
            assert response.mimetype == "application/problem+json"
            assert answer["status"] == status and answer["title"] and answer.get("detail", "") is not None
            if status == 422:
                problems = answer["invalid-params"]
                assert problems, answer
                for problem in problems:
                    assert PARAM_NAME.match(problem["name"]), problem
                    assert problem["reason"] and len(problem["reason"]) < 600, problem
            assert _state(db) == before, f"refused ({status}) but the register changed"
            return
        entries, active, versions, latest = _state(db)
        assert versions > before[2] and latest == answer["register_version"] > before[3]
        # An upsert of a deleted entry brings it back (counted as updated).
        low = before[1] + answer["created"] - answer["deleted"]
        assert low <= active <= low + answer["updated"], (before, answer, active)
        assert entries == before[0] + answer["created"]
        for entity in db.session.scalars(select(RiskEntity).where(RiskEntity.external_id.like("fuzz-%"))):
            for name in importer.TEXT_FIELDS:
                value = getattr(entity, name) or ""
                assert not value.startswith(importer.FORMULA_START), (name, value[:80])

    example()
