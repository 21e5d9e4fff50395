"""The re-screening killed half-way (SIGKILL) keeps every committed batch whole; the next run resumes.

``register-rescreen`` commits once per batch and records per application the register version it
was screened against (barrier/register/rescreen.py). Killed between batches, each committed batch
must be complete (screening marker, hits and run counters together) and nothing of the batch in
progress may remain; the next run skips exactly what was screened and finishes the rest, without
duplicating a hit.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import timedelta

import sqlalchemy as sa

from barrier.models.register import RescreenRun
from barrier.register.rescreen import STALE_AFTER
from tests.faults.bulk import person_of
from tests.faults.conftest import ROOT, Instance, wait_for

APPLICATIONS = 60
BATCH = 3
#: Every fourth bulk applicant is in the register (with the same name and birth date): a hit.
LISTED = range(0, APPLICATIONS, 4)


def _register_csv(path) -> None:
    lines = ["Registratienummer;Soort;Voornamen;Achternaam;Geboortedatum;Bron;Reden;Vertrouwelijkheid"]
    for number in LISTED:
        given, surname, birth = person_of(number)
        lines.append(f"B-{number};persoon;{given};{surname};{birth:%d-%m-%Y};riec;RIEC-signaal;regionaal")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def _screened(inst: Instance, version: int) -> list[int]:
    return [row[0] for row in inst.rows(
        "SELECT application_id FROM application_screenings WHERE register_version = :v ORDER BY application_id",
        v=version)]


def _runs(inst: Instance) -> list[tuple]:
    return inst.rows("SELECT id, status, done, total, skipped, error FROM rescreen_runs ORDER BY id")


def _hits_of_version(inst: Instance, version: int) -> list[tuple[int, int]]:
    return inst.rows("SELECT application_id, entity_id FROM register_hits WHERE register_version = :v "
                     "AND is_current ORDER BY application_id, entity_id", v=version)


def test_a_rescreening_killed_half_way_keeps_whole_batches_and_the_next_run_resumes(instance, tmp_path):
    inst = instance()
    made = subprocess.run([sys.executable, "-m", "tests.faults.bulk", "applications", str(APPLICATIONS)], cwd=ROOT,
                          env=inst.env(), capture_output=True, text=True, timeout=600, check=False)
    assert made.returncode == 0, made.stderr[-3000:]
    targets = [row[0] for row in inst.rows("SELECT id FROM applications ORDER BY id")]
    assert len(targets) == APPLICATIONS
    register = tmp_path / "riec.csv"
    _register_csv(register)
    inst.flask("register-import", str(register))  # a new register version: everything is to be re-screened
    version = inst.scalar("SELECT max(id) FROM register_versions")
    assert _screened(inst, version) == []

    output = tmp_path / "rescreen.out"
    process = inst.start("register-rescreen", "--batch-size", str(BATCH), output=output)
    try:
        wait_for(lambda: len(_screened(inst, version)) >= 3 * BATCH, timeout=300, process=process,
                 what="three batches to be committed")
        assert process.poll() is None, output.read_text()
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    assert "Klaar in" not in output.read_text()

    # Whole batches only: the screened applications are the first k batches of the targets, the
    # run row counted exactly those, and hits of this version exist only for them.
    screened = _screened(inst, version)
    assert 0 < len(screened) < APPLICATIONS, "the kill did not land half-way"
    assert len(screened) % BATCH == 0
    assert screened == targets[:len(screened)]
    (killed_id, status, done, total, skipped, _error), = _runs(inst)
    assert (status, done, total, skipped) == ("bezig", len(screened), APPLICATIONS, 0)
    hits = _hits_of_version(inst, version)
    expected = {targets[n] for n in LISTED}
    assert {application for application, _entity in hits} == expected & set(screened)
    assert len(hits) == len({application for application, _entity in hits})  # one hit per listed applicant

    # Right after the kill the run still looks alive (no heartbeat for < 5 minutes): a new run is
    # refused with a clear message and changes nothing.
    refused = inst.flask("register-rescreen", "--batch-size", str(BATCH), check=False)
    assert refused.returncode != 0 and "Er loopt al een herscreening" in refused.stdout
    assert _screened(inst, version) == screened

    # Once the killed run has given no sign of life for longer than STALE_AFTER, the next run marks
    # it failed and resumes: it skips exactly what was screened and finishes the rest.
    runs_table = RescreenRun.__table__
    with inst.engine.begin() as conn:
        heartbeat = conn.execute(sa.select(runs_table.c.heartbeat_at).where(runs_table.c.id == killed_id)).scalar()
        conn.execute(sa.update(runs_table).where(runs_table.c.id == killed_id)
                     .values(heartbeat_at=heartbeat - STALE_AFTER - timedelta(minutes=1)))
    resumed = inst.flask("register-rescreen", "--batch-size", str(BATCH))
    assert (f"{APPLICATIONS} open aanvragen en vergunningen; {len(screened)} al gescreend tegen deze versie, "
            f"{APPLICATIONS - len(screened)} te screenen.") in resumed.stdout, resumed.stdout
    assert f"{APPLICATIONS - len(screened)} gescreend" in resumed.stdout
    runs = _runs(inst)
    assert runs[0][:2] == (killed_id, "mislukt") and "Afgebroken" in runs[0][5]
    assert runs[1][1:5] == ("klaar", APPLICATIONS - len(screened), APPLICATIONS, len(screened))
    assert _screened(inst, version) == targets
    hits = _hits_of_version(inst, version)
    assert [application for application, _entity in hits] == sorted(expected)  # each once, none lost
    assert inst.scalar("SELECT count(*) FROM register_hits") == len(expected)
