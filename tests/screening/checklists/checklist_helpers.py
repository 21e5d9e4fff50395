"""Build small definition files for the checklist tests (valid by default, broken on purpose)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from screening.checklists import ChecklistItem, ConfirmedHit, TriggerKind

_BASE: dict[str, Any] = {
    "permit_type": "testvergunning",
    "version": 1,
    "effective_from": "2024-02-01",
    "title": "Testchecklist",
    "thresholds": {
        "A_GROND": {"mindere_mate": 4, "ernstig": 10},
        "B_GROND": {"mindere_mate": 4, "ernstig": 10},
        "LID6": {"indicatie": 4},
    },
    "sections": [
        {"code": "E_FINANCIERING", "title": "Financiering"},
        {"code": "G_ANTECEDENTEN", "title": "Antecedenten"},
        {"code": "I_ONDERTEKENING", "title": "Ondertekening"},
        {"code": "REGISTER", "title": "Register"},
    ],
    "items": [
        {
            "id": "BIB-CL-TST-E01",
            "section": "E_FINANCIERING",
            "question": "Is de financiering onverklaard?",
            "answer_type": "ja_nee",
            "trigger": {"equals": "ja"},
            "weight": 4,
            "ground": "A_GROND",
            "source": {"article": "Wet Bibob art. 3 lid 2", "refs": ["S7"]},
            "questionnaire_ref": "BIB-Q-E02",
        },
        {
            "id": "BIB-CL-TST-E02",
            "section": "E_FINANCIERING",
            "question": "Onverklaard bedrag",
            "answer_type": "bedrag",
            "trigger": {"greater_than": 10000},
            "weight": 6,
            "ground": "A_GROND",
            "source": {"article": "Wet Bibob art. 3 lid 2", "refs": ["S7"]},
        },
        {
            "id": "BIB-CL-TST-G01",
            "section": "G_ANTECEDENTEN",
            "question": "Zwaarste afdoening ernstig feit",
            "answer_type": "keuze",
            "choices": ["geen", "verdenking", "veroordeling"],
            "trigger": {"in": ["verdenking", "veroordeling"]},
            "weight": {"verdenking": 2, "veroordeling": 9},
            "ground": ["A_GROND", "B_GROND"],
            "source": {"article": "Wet Bibob art. 3 lid 3", "refs": ["S7"]},
        },
        {
            "id": "BIB-CL-TST-G02",
            "section": "G_ANTECEDENTEN",
            "question": "Signaal van uitbuiting?",
            "answer_type": "ja_nee_onbekend",
            "trigger": {"equals": "ja"},
            "weight": 1,
            "ground": "B_GROND",
            "minimum_level": "ERNSTIG",
            "source": {"article": "Wet Bibob art. 3 lid 1 sub b", "refs": ["S2"]},
        },
        {
            "id": "BIB-CL-TST-I01",
            "section": "I_ONDERTEKENING",
            "question": "Onjuiste antwoorden?",
            "answer_type": "ja_nee",
            "trigger": {"equals": "ja"},
            "weight": 4,
            "ground": "LID6",
            "source": {"article": "Wet Bibob art. 3 lid 6", "refs": ["S10"]},
        },
        {
            "id": "BIB-CL-TST-I02",
            "section": "I_ONDERTEKENING",
            "question": "Weigert gegevens te verstrekken?",
            "answer_type": "ja_nee",
            "trigger": {"equals": "ja"},
            "weight": 10,
            "ground": "ART4",
            "source": {"article": "Wet Bibob art. 4 lid 1", "refs": ["S8"]},
        },
        {
            "id": "BIB-CL-TST-I03",
            "section": "I_ONDERTEKENING",
            "question": "Toelichting",
            "answer_type": "tekst",
            "trigger": {"not_empty": True},
            "weight": 0,
            "ground": "NONE",
            "source": {"article": "Wet Bibob art. 3 lid 6", "refs": ["S10"]},
        },
        {
            "id": "BIB-CL-TST-R01",
            "section": "REGISTER",
            "question": "Bevestigde treffers wegens witwassen",
            "answer_type": "aantal",
            "hit_kinds": ["witwassen"],
            "trigger": {"at_least": 2},
            "weight": 5,
            "ground": "A_GROND",
            "related_refusal_ground": "WGV-W02",
            "source": {"article": "Wet Bibob art. 3 lid 2", "refs": ["S7"]},
        },
    ],
}


def definition(**overrides: Any) -> dict[str, Any]:
    data = copy.deepcopy(_BASE)
    data.update(overrides)
    return data


def item_of(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(i for i in data["items"] if i["id"] == item_id)


def write_definition(directory: Path, data: dict[str, Any], name: str | None = None) -> Path:
    name = name or f"{data['permit_type']}-v{data['version']}.yaml"
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def firing_input(item: ChecklistItem) -> tuple[dict[str, Any], list[ConfirmedHit]]:
    """Answers and hits that make exactly *item* fire (for data-driven tests over the shipped files)."""
    trigger = item.trigger
    if trigger.kind is TriggerKind.NOT_EMPTY:
        value: Any = "Toelichting"
    elif trigger.kind in (TriggerKind.EQUALS, TriggerKind.IN):
        # For keuze items the heaviest triggering choice, so the test covers the strongest case.
        value = max(trigger.values, key=item.weight_for)
    elif trigger.kind is TriggerKind.GREATER_THAN:
        value = int(trigger.threshold) + 1
    else:
        value = int(trigger.threshold)
    if item.is_derived:
        kind = "overig" if "*" in item.hit_kinds else item.hit_kinds[0]
        return {}, [ConfirmedHit(kind=kind, subject="Test") for _ in range(int(value))]
    return {item.id: value}, []


def non_firing_answer(item: ChecklistItem) -> Any:
    trigger = item.trigger
    if trigger.kind is TriggerKind.NOT_EMPTY:
        return None
    if trigger.kind in (TriggerKind.EQUALS, TriggerKind.IN):
        options = item.choices or ("ja", "nee", "onbekend")
        return next(o for o in options if o not in trigger.values and (o != "onbekend" or item.choices))
    if trigger.kind is TriggerKind.GREATER_THAN:
        return int(trigger.threshold)
    return int(trigger.threshold) - 1
