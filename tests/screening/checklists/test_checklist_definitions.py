"""The shipped definition files validate and cover what domain.md §1 and §4.2 ask for."""

from __future__ import annotations

import re

import pytest

from screening.checklists import (
    DEFINITIONS_DIR,
    AnswerType,
    Ground,
    SectionCode,
    available_versions,
    load_checklist,
    load_checklist_file,
)

PERMIT_TYPES = ("seksbedrijf", "wgv_verhuurvergunning")
PREFIX = {"seksbedrijf": "BIB-CL-SEK-", "wgv_verhuurvergunning": "BIB-CL-WGV-"}


@pytest.mark.parametrize("path", sorted(DEFINITIONS_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_file_validates(path):
    checklist = load_checklist_file(path)
    assert path.name == f"{checklist.key}.yaml"


@pytest.mark.parametrize("permit_type", PERMIT_TYPES)
def test_shipped_checklist_shape(permit_type):
    checklist = load_checklist(permit_type)
    assert checklist.permit_type == permit_type
    assert [v.version for v in available_versions(permit_type)] == [1]
    # All questionnaire sections of §1.5 plus register hits and own investigation, in form order.
    assert [s.code for s in checklist.sections] == list(SectionCode)
    ids = [item.id for item in checklist.items]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(PREFIX[permit_type]) for i in ids)
    for item in checklist.items:
        assert item.source.article and item.source.refs
        assert 0 <= item.weight <= 10
        assert item.question.strip()
    used_sections = {item.section for item in checklist.items}
    assert {SectionCode.E_FINANCIERING, SectionCode.G_ANTECEDENTEN, SectionCode.REGISTER} <= used_sections
    t = checklist.thresholds
    assert t.a_grond.mindere_mate < t.a_grond.ernstig
    assert t.b_grond.mindere_mate < t.b_grond.ernstig


@pytest.mark.parametrize("permit_type", PERMIT_TYPES)
def test_shipped_checklist_covers_the_bibob_signals_and_grounds(permit_type):
    checklist = load_checklist(permit_type)
    signals = {item.signal_ref for item in checklist.items}
    assert {"SIG-BIB-01", "SIG-BIB-02", "SIG-BIB-03"} <= signals
    grounds = {g for item in checklist.items for g in item.grounds}
    assert {Ground.A_GROND, Ground.B_GROND, Ground.LID6, Ground.ART4} <= grounds
    # Exactly one refusal-to-supply item (art. 4 lid 1) and at least two art. 3 lid 6 items.
    assert sum(Ground.ART4 in item.grounds for item in checklist.items) == 1
    assert sum(Ground.LID6 in item.grounds for item in checklist.items) >= 2
    # Antecedents by hardness: veroordeling > transactie > sepot > verdenking (W-VERMOEDEN).
    keuze = [i for i in checklist.items if i.answer_type is AnswerType.KEUZE]
    assert keuze
    for item in keuze:
        w = dict(item.choice_weights)
        assert w["veroordeling"] > w["transactie"] > w["sepot"] > w["verdenking"]
    serious = next(i for i in keuze if "mensenhandel" in i.question)
    other = next(i for i in keuze if "overige" in i.question)
    assert dict(serious.choice_weights)["veroordeling"] > dict(other.choice_weights)["veroordeling"]
    # Samenhang (b-grond, art. 3 lid 3) is its own indicator.
    assert any("W-SAMENHANG" in i.weging and i.grounds == (Ground.B_GROND,) for i in checklist.items)
    # Register items are derived from confirmed hits.
    register = checklist.items_in(SectionCode.REGISTER)
    assert register and all(i.is_derived for i in register)


def test_wgv_checklist_has_the_wgv_specific_items():
    checklist = load_checklist("wgv_verhuurvergunning")
    related = {i.related_refusal_ground for i in checklist.items}
    assert {"WGV-W02", "WGV-W03"} <= related
    assert any(i.signal_ref == "SIG-HUI-05" for i in checklist.items)  # verhuurder is ook werkgever


@pytest.mark.parametrize("permit_type", PERMIT_TYPES)
def test_questionnaire_refs_point_at_known_questions(permit_type):
    for item in load_checklist(permit_type).items:
        if item.questionnaire_ref:
            assert re.fullmatch(r"BIB-Q-[A-I]\d{2}", item.questionnaire_ref)
