"""The register import killed half-way (SIGKILL) changes nothing; running it again completes it.

The CLI imports a file in one transaction (barrier/register/importer.py): a process killed while
writing must leave the register exactly as it was (entries, versions, import records) and the
same command, run again, imports the whole file. The kill is proven to land half-way: the process
is running, it is past the check and writing ("Vastleggen"), megabytes of uncommitted entries sit
in the database's storage, and another connection still sees the old register.
"""

from __future__ import annotations

import signal
import sqlite3

from tests.faults.conftest import Instance, wait_for

ROWS = 100_000
HEADER = "Registratienummer;Soort;Voornamen;Achternaam;Geboortedatum;Bron;Reden;Vertrouwelijkheid\r\n"
#: Storage growth that proves uncommitted entries were written (far beyond SQLite's 2 MB page cache).
WRITTEN_BYTES = 4 * 1024 * 1024


def _write_register(path, rows: int, prefix: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for i in range(rows):
            out.write(f"{prefix}-{i:06d};persoon;Jan{i % 97};Achternaam{prefix}{i};{1 + i % 28:02d}-{1 + i % 12:02d}-"
                      f"19{50 + i % 50};riec;RIEC-signaal {i};regionaal\r\n")


def register_state(inst: Instance) -> tuple[int, int, int, int]:
    """(entries, versions, latest version, import records): what a killed import must leave as it was."""
    return (inst.scalar("SELECT count(*) FROM risk_entities"),
            inst.scalar("SELECT count(*) FROM register_versions"),
            inst.scalar("SELECT coalesce(max(id), 0) FROM register_versions"),
            inst.scalar("SELECT count(*) FROM register_imports"))


def _storage_bytes(inst: Instance) -> int:
    """Bytes the database has written, committed or not: the register table and its indexes on
    PostgreSQL (a transaction's new rows extend the relation at once), the write-ahead log on SQLite."""
    if inst.is_postgresql:
        return inst.scalar("SELECT pg_total_relation_size('risk_entities')")
    wal = inst.sqlite_file.with_name(inst.sqlite_file.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def _empty_the_write_ahead_log(inst: Instance) -> None:
    if not inst.is_postgresql:
        with sqlite3.connect(inst.sqlite_file) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()


def test_a_register_import_killed_half_way_changes_nothing_and_runs_again_to_completion(instance, tmp_path):
    inst = instance()
    # A register with entries and a version of its own, which the killed import must not disturb.
    first = tmp_path / "eerste.csv"
    _write_register(first, 25, "E")
    inst.flask("register-import", str(first))
    before = register_state(inst)
    assert before[0] == 25 and before[1] == 1

    big = tmp_path / "riec-export.csv"
    _write_register(big, ROWS, "F")
    _empty_the_write_ahead_log(inst)
    baseline = _storage_bytes(inst)
    output = tmp_path / "import.out"
    process = inst.start("register-import", str(big), output=output)
    try:
        wait_for(lambda: "Vastleggen" in output.read_text(), timeout=600, process=process,
                 what="the import to pass its check and start writing")
        wait_for(lambda: _storage_bytes(inst) - baseline > WRITTEN_BYTES, timeout=300, process=process,
                 what="megabytes of entries to be written")
        assert register_state(inst) == before  # written, not committed: nobody sees them yet
        assert process.poll() is None, output.read_text()
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    text = output.read_text()
    assert "Vastgelegd" not in text, text

    # Consistent: entries, versions and import records exactly as before; not one row of the file.
    assert register_state(inst) == before
    assert inst.scalar("SELECT count(*) FROM risk_entities WHERE external_id LIKE 'F-%'") == 0

    # The same command again imports the whole file: every row new (nothing half-imported to update).
    result = inst.flask("register-import", str(big))
    assert f"{ROWS} nieuw, 0 bijgewerkt" in result.stdout, result.stdout[-2000:]
    entries, versions, latest, imports = register_state(inst)
    assert (entries, versions, imports) == (before[0] + ROWS, before[1] + 1, before[3] + 1)
    assert latest > before[2]
    assert inst.scalar("SELECT count(DISTINCT external_id) FROM risk_entities WHERE external_id LIKE 'F-%'") == ROWS
    assert inst.scalar("SELECT status FROM register_imports ORDER BY id DESC LIMIT 1") == "vastgelegd"
