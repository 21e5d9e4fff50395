"""Version selection: the newest version in force by default, an explicit version for older dossiers."""

from __future__ import annotations

import os
from datetime import date

import pytest

from screening.checklists import ChecklistError, available_versions, load_checklist
from tests.screening.checklists.checklist_helpers import definition, item_of, write_definition


@pytest.fixture
def two_versions(tmp_path):
    write_definition(tmp_path, definition(version=1, effective_from="2024-02-01"))
    v2 = definition(version=2, effective_from="2026-01-01", title="Testchecklist versie 2")
    item_of(v2, "BIB-CL-TST-E01")["weight"] = 5
    write_definition(tmp_path, v2)
    write_definition(tmp_path, definition(permit_type="andere", version=1), "andere-v1.yaml")
    return tmp_path


def test_available_versions_are_sorted_and_per_permit_type(two_versions):
    versions = available_versions("testvergunning", directory=two_versions)
    assert [(v.version, v.effective_from) for v in versions] == [(1, date(2024, 2, 1)), (2, date(2026, 1, 1))]
    assert [v.source_file for v in versions] == ["testvergunning-v1.yaml", "testvergunning-v2.yaml"]
    assert available_versions("onbekend", directory=two_versions) == ()


def test_default_is_the_newest_version(two_versions):
    assert load_checklist("testvergunning", directory=two_versions).version == 2


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2024, 2, 1), 1), (date(2025, 12, 31), 1), (date(2026, 1, 1), 2), (date(2030, 1, 1), 2)],
)
def test_newest_version_in_force_on_a_date(two_versions, on, expected):
    assert load_checklist("testvergunning", on=on, directory=two_versions).version == expected


def test_explicit_version_for_a_dossier_that_started_on_it(two_versions):
    checklist = load_checklist("testvergunning", version=1, on=date(2027, 1, 1), directory=two_versions)
    assert checklist.version == 1
    assert checklist.item("BIB-CL-TST-E01").weight == 4
    assert (
        load_checklist("testvergunning", version=2, directory=two_versions).item("BIB-CL-TST-E01").weight == 5
    )


def test_unknown_version(two_versions):
    with pytest.raises(ChecklistError, match="versie 3 bestaat niet; beschikbaar: 1, 2"):
        load_checklist("testvergunning", version=3, directory=two_versions)


def test_no_version_in_force_yet(two_versions):
    with pytest.raises(ChecklistError, match="geen versie in werking op 2023-01-01"):
        load_checklist("testvergunning", on=date(2023, 1, 1), directory=two_versions)


def test_unknown_permit_type(two_versions):
    with pytest.raises(ChecklistError, match="geen checklist voor dit vergunningtype"):
        load_checklist("horeca", directory=two_versions)


def test_shipped_versions_are_in_force_from_2024():
    assert load_checklist("seksbedrijf", on=date(2024, 2, 1)).version == 1
    with pytest.raises(ChecklistError):
        load_checklist("seksbedrijf", on=date(2020, 1, 1))


def test_loaded_checklists_are_cached_and_reloaded_after_an_edit(tmp_path):
    path = write_definition(tmp_path, definition())
    first = load_checklist("testvergunning", directory=tmp_path)
    assert load_checklist("testvergunning", directory=tmp_path) is first
    data = definition(title="Gewijzigde titel met een andere lengte")
    write_definition(tmp_path, data)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert (
        load_checklist("testvergunning", directory=tmp_path).title == "Gewijzigde titel met een andere lengte"
    )
