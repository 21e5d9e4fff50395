"""A broken definition file gives one clear ChecklistError naming the file, the item and the problem."""

from __future__ import annotations

import pytest

from screening.checklists import ChecklistError, load_checklist, load_checklist_file
from tests.screening.checklists.checklist_helpers import definition, item_of, write_definition

FILE = "testvergunning-v1.yaml"


def _error_for(tmp_path, data, name=None) -> ChecklistError:
    path = write_definition(tmp_path, data, name)
    with pytest.raises(ChecklistError) as info:
        load_checklist_file(path)
    return info.value


def test_valid_minimal_file_loads(tmp_path):
    checklist = load_checklist_file(write_definition(tmp_path, definition()))
    assert checklist.key == "testvergunning-v1"
    assert len(checklist.items) == 8


def test_unknown_section(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E01")["section"] = "Z_ONBEKEND"
    error = _error_for(tmp_path, data)
    assert error.file == FILE
    assert error.item_ids == ("BIB-CL-TST-E01",)
    assert "onbekende sectie" in str(error)
    assert FILE in str(error) and "BIB-CL-TST-E01" in str(error)


def test_section_not_declared_in_file(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E01")["section"] = "H_ZAKELIJKE_RELATIES"
    error = _error_for(tmp_path, data)
    assert error.item_ids == ("BIB-CL-TST-E01",)
    assert "staat niet in 'sections'" in str(error)


def test_duplicate_id(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E02")["id"] = "BIB-CL-TST-E01"
    error = _error_for(tmp_path, data)
    assert error.item_ids == ("BIB-CL-TST-E01",)
    assert "dubbel id" in str(error)


@pytest.mark.parametrize("weight", [11, -1, 2.5, "zwaar"])
def test_weight_out_of_range(tmp_path, weight):
    data = definition()
    item_of(data, "BIB-CL-TST-E02")["weight"] = weight
    error = _error_for(tmp_path, data)
    assert error.item_ids == ("BIB-CL-TST-E02",)
    assert error.problems[0].field == "weight"
    assert "0 tot en met 10" in str(error)
    assert repr(weight) in str(error)


def test_choice_weight_out_of_range(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-G01")["weight"] = {"verdenking": 2, "veroordeling": 12}
    error = _error_for(tmp_path, data)
    assert error.item_ids == ("BIB-CL-TST-G01",)
    assert "0 tot en met 10" in str(error)


def test_unknown_ground(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E01")["ground"] = "C_GROND"
    error = _error_for(tmp_path, data)
    assert error.item_ids == ("BIB-CL-TST-E01",)
    assert "onbekende grond" in str(error) and "'C_GROND'" in str(error)


def test_missing_source(tmp_path):
    data = definition()
    del item_of(data, "BIB-CL-TST-E02")["source"]
    error = _error_for(tmp_path, data)
    assert error.item_ids == ("BIB-CL-TST-E02",)
    assert "verplicht veld ontbreekt: 'source'" in str(error)


def test_source_without_source_key(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E02")["source"] = {"article": "Wet Bibob art. 3", "refs": []}
    error = _error_for(tmp_path, data)
    assert error.item_ids == ("BIB-CL-TST-E02",)
    assert "lijst mag niet leeg zijn" in str(error) and "bronsleutel" in str(error)


def test_source_key_of_wrong_form(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E02")["source"]["refs"] = ["www.justis.nl"]
    error = _error_for(tmp_path, data)
    assert "bronsleutel" in str(error)


@pytest.mark.parametrize("version", ["1.0", "v1", 0, None])
def test_wrong_version_format(tmp_path, version):
    data = definition(version=version)
    error = _error_for(tmp_path, data, name=FILE)
    assert error.problems[0].field == "version"
    assert "positief geheel getal" in str(error)


def test_version_must_match_file_name(tmp_path):
    error = _error_for(tmp_path, definition(version=2), name=FILE)
    assert "versie 2 past niet bij de bestandsnaam" in str(error)


def test_permit_type_must_match_file_name(tmp_path):
    error = _error_for(tmp_path, definition(), name="seksbedrijf-v1.yaml")
    assert "past niet bij de bestandsnaam" in str(error)


def test_file_name_convention(tmp_path):
    error = _error_for(tmp_path, definition(), name="checklist.yaml")
    assert "bestandsnaam" in str(error)


def test_bad_item_id(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E01")["id"] = "FIN-03"
    error = _error_for(tmp_path, data)
    assert error.item_ids == ("FIN-03",)
    assert "BIB-CL-XXX-A00" in str(error)


def test_unknown_field_is_a_typo(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E01")["weigth"] = 3
    error = _error_for(tmp_path, data)
    assert "onbekend veld: 'weigth'" in str(error)


def test_trigger_must_fit_answer_type(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E01")["trigger"] = {"greater_than": 3}
    error = _error_for(tmp_path, data)
    assert error.item_ids == ("BIB-CL-TST-E01",)
    assert "past niet bij antwoordtype 'ja_nee'" in str(error)


def test_trigger_value_must_be_a_possible_answer(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E01")["trigger"] = {"equals": "onbekend"}
    item_of(data, "BIB-CL-TST-G01")["trigger"] = {"in": ["veroordeeld"]}
    error = _error_for(tmp_path, data)
    assert set(error.item_ids) == {"BIB-CL-TST-E01", "BIB-CL-TST-G01"}
    assert "bevat 2 fouten" in str(error) or "bevat 3 fouten" in str(error)


def test_trigger_with_two_conditions(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E02")["trigger"] = {"greater_than": 1, "at_least": 2}
    error = _error_for(tmp_path, data)
    assert "precies één voorwaarde" in str(error)


def test_keuze_without_choices(tmp_path):
    data = definition()
    del item_of(data, "BIB-CL-TST-G01")["choices"]
    error = _error_for(tmp_path, data)
    assert "'choices'" in str(error)


def test_unknown_questionnaire_question(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E01")["questionnaire_ref"] = "BIB-Q-E99"
    error = _error_for(tmp_path, data)
    assert "geen vraag van het Bibob-vragenformulier" in str(error)


def test_thresholds_out_of_order(tmp_path):
    data = definition()
    data["thresholds"]["B_GROND"] = {"mindere_mate": 10, "ernstig": 4}
    error = _error_for(tmp_path, data)
    assert error.problems[0].item_id is None
    assert "B_GROND" in str(error) and "lager" in str(error)


def test_hit_kinds_only_in_register(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E02")["hit_kinds"] = ["witwassen"]
    error = _error_for(tmp_path, data)
    assert "REGISTER" in str(error)


def test_invalid_date(tmp_path):
    path = tmp_path / FILE
    path.write_text(
        write_definition(tmp_path, definition()).read_text().replace("'2024-02-01'", "2024-02-30")
    )
    with pytest.raises(ChecklistError, match=FILE):
        load_checklist_file(path)


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / FILE
    path.write_text("permit_type: testvergunning\nitems: [\n  - {id: x\n", encoding="utf-8")
    with pytest.raises(ChecklistError, match=r"geen geldige YAML \(regel \d+"):
        load_checklist_file(path)


def test_duplicate_yaml_key(tmp_path):
    path = write_definition(tmp_path, definition())
    text = path.read_text(encoding="utf-8").replace("  weight: 4\n", "  weight: 4\n  weight: 9\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ChecklistError, match="dubbele sleutel 'weight'"):
        load_checklist_file(path)


def test_not_a_mapping(tmp_path):
    path = tmp_path / FILE
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ChecklistError, match="YAML-mapping"):
        load_checklist_file(path)


def test_missing_file():
    with pytest.raises(ChecklistError, match="niet leesbaar"):
        load_checklist_file("/nonexistent/testvergunning-v1.yaml")


def test_several_problems_are_all_listed(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E01")["weight"] = 99
    del item_of(data, "BIB-CL-TST-E02")["source"]
    error = _error_for(tmp_path, data)
    assert set(error.item_ids) == {"BIB-CL-TST-E01", "BIB-CL-TST-E02"}
    assert "bevat 2 fouten" in str(error)


def test_broken_file_is_reported_by_load_checklist(tmp_path):
    data = definition()
    item_of(data, "BIB-CL-TST-E01")["weight"] = 11
    write_definition(tmp_path, data)
    with pytest.raises(ChecklistError, match="BIB-CL-TST-E01"):
        load_checklist("testvergunning", directory=tmp_path)
