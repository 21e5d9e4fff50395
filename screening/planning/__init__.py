"""Risk-based inspection planning: explainable location risk scores, the planner and its exports."""

from screening.planning.export import plan_to_csv, plan_to_ical
from screening.planning.planner import (
    DEFAULT_CLUSTER_RADIUS_KM,
    DEFAULT_RISK_THRESHOLD,
    Inspector,
    Plan,
    PlanningError,
    Unplanned,
    Urgency,
    Visit,
    propose_plan,
    same_day_distances_km,
)
from screening.planning.risk import (
    DEFAULT_MAX_INTERVAL_DAYS,
    DEFAULT_WEIGHTS,
    BibobOutcome,
    Factor,
    LocationFacts,
    PermitType,
    PriorityOverride,
    RiskScore,
    RiskWeights,
    score_location,
)

__all__ = [
    "DEFAULT_CLUSTER_RADIUS_KM",
    "DEFAULT_MAX_INTERVAL_DAYS",
    "DEFAULT_RISK_THRESHOLD",
    "DEFAULT_WEIGHTS",
    "BibobOutcome",
    "Factor",
    "Inspector",
    "LocationFacts",
    "PermitType",
    "Plan",
    "PlanningError",
    "PriorityOverride",
    "RiskScore",
    "RiskWeights",
    "Unplanned",
    "Urgency",
    "Visit",
    "plan_to_csv",
    "plan_to_ical",
    "propose_plan",
    "same_day_distances_km",
    "score_location",
]
