"""Signal catalogue and the Drenthe meldroute (domain.md §4, §5), as data plus small engines."""

from screening.signals._loader import DataFileError
from screening.signals.catalogue import (
    Barrier,
    Catalogue,
    Signal,
    SignalEvaluation,
    UnknownSignalError,
    Vorm,
    evaluate_signals,
    load_catalogue,
)
from screening.signals.meldroute import (
    ForwardDecision,
    LegalBasis,
    Meldroute,
    RouteProposal,
    RouteStep,
    SignalReport,
    Stage,
    Target,
    check_forward,
    load_meldroute,
    propose_route,
)

__all__ = [
    "Barrier",
    "Catalogue",
    "DataFileError",
    "ForwardDecision",
    "LegalBasis",
    "Meldroute",
    "RouteProposal",
    "RouteStep",
    "Signal",
    "SignalEvaluation",
    "SignalReport",
    "Stage",
    "Target",
    "UnknownSignalError",
    "Vorm",
    "check_forward",
    "evaluate_signals",
    "load_catalogue",
    "load_meldroute",
    "propose_route",
]
