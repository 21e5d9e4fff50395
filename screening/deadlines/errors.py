"""The one exception of the deadline engine: invalid input, with a Dutch message for the form field."""

from __future__ import annotations


class DeadlineError(ValueError):
    """Invalid deadline input (e.g. a suspension that ends before it starts).

    ``message`` is Dutch and meant to be shown next to ``field`` in the form; ``field`` names the
    offending input (``"received_on"``, ``"events[2].received_on"``, ``"verdaging.max_weeks"``) or
    is ``None`` when the error concerns the case as a whole.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
