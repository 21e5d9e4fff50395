"""In-process domain events, so areas react to each other without importing each other's views.

The register area screens parties when ``application_submitted`` or ``parties_changed`` fires;
the Bibob area opens a dossier on ``application_submitted`` when the beleidsregel says so.
Receivers run inside the sender's transaction (they flush, never commit).
"""

from blinker import Namespace

_signals = Namespace()

#: sender: the Application; kwargs: actor
application_submitted = _signals.signal("application-submitted")
#: sender: the Application; kwargs: actor
parties_changed = _signals.signal("parties-changed")
#: sender: the Application; kwargs: actor, old_status, new_status
status_changed = _signals.signal("status-changed")
#: sender: the Application; kwargs: actor, outcome, permit (or None)
application_decided = _signals.signal("application-decided")
