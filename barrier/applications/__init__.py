"""Permit applications: intake wizard, casework, deadlines, decisions and the permit register."""

from flask import Blueprint

from barrier.auth.permissions import Permission
from barrier.dashboard.registry import NavItem, Panel, register_nav, register_panel

bp = Blueprint("applications", __name__)

from barrier.applications import panels, views  # noqa: E402,F401

register_nav(NavItem("Aanvragen", "applications.list_applications", Permission.VIEW_APPLICATIONS, order=100,
                     active_prefixes=("applications.",)))
register_nav(NavItem("Vergunningen", "applications.list_permits", Permission.VIEW_PERMITS, order=110,
                     active_prefixes=("applications.list_permits", "applications.permit_detail")))
register_panel(Panel("applications.overdue", "Termijn verlopen of vandaag", Permission.EDIT_APPLICATIONS,
                     panels.overdue_items, empty_text="Geen aanvragen over de termijn.",
                     more_endpoint="applications.list_applications", order=10))
register_panel(Panel("applications.worklist", "Werkvoorraad: eigen aanvragen op termijn", Permission.EDIT_APPLICATIONS,
                     panels.worklist_items, empty_text="Geen openstaande aanvragen.",
                     more_endpoint="applications.list_applications", order=20))
register_panel(Panel("applications.drafts", "Concepten", Permission.EDIT_APPLICATIONS, panels.draft_items,
                     empty_text="Geen concepten.", order=30))
