"""Checklist answers for tests: every item answered within its norm, deviations added by the test."""

from __future__ import annotations

from screening.inspections import AnswerType, load_checklist


def compliant_answers(code: str, *, occupancy: int | None = None) -> dict:
    """A complete set of answers for checklist *code* that deviates from no norm."""
    answers: dict = {}
    for item in load_checklist(code).items:
        if item.answer_type in (AnswerType.JA_NEE, AnswerType.JA_NEE_NVT):
            answers[item.id] = "JA" if item.deviating_answer == "NEE" else "NEE"
        elif item.answer_type in (AnswerType.AANTAL, AnswerType.GETAL) and item.threshold is not None:
            t = item.threshold
            if t.max_param == "permitted_occupancy":
                if occupancy is not None:
                    answers[item.id] = occupancy
            elif t.max is not None:
                answers[item.id] = int(t.max) if item.answer_type is AnswerType.AANTAL else float(t.max)
            elif t.min is not None:
                answers[item.id] = float(t.min) + 1
    return answers
