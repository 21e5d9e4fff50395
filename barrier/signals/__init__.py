"""Signals of possible human trafficking and the Drenthe meldroute; the regional overview."""

from flask import Blueprint

from barrier.auth.permissions import Permission
from barrier.dashboard.registry import NavItem, Panel, register_nav, register_panel

bp = Blueprint("signals", __name__, url_prefix="/signalen")

from barrier.signals import panels, views  # noqa: E402,F401

register_nav(NavItem("Signalen", "signals.inbox", Permission.VIEW_SIGNALS, order=300,
                     active_prefixes=("signals.inbox", "signals.signal_detail")))
register_nav(NavItem("Signaal melden", "signals.new_signal", Permission.CREATE_SIGNALS, order=310))
register_nav(NavItem("Regionaal overzicht", "signals.overview", Permission.VIEW_REGIONAL_OVERVIEW, order=320))
register_panel(Panel("signals.inbox", "Signalen: wachten op u", Permission.ROUTE_SIGNALS, panels.inbox_items,
                     empty_text="Geen signalen die op u wachten.", more_endpoint="signals.inbox", order=15))
