"""Inspections: locations with an explainable risk score, the planner, the on-site form, enforcement."""

from flask import Blueprint

from barrier import events
from barrier.auth.permissions import Permission
from barrier.dashboard.registry import NavItem, Panel, register_nav, register_panel

# cli_group=None: ``flask --app wsgi inspection-plan`` (the planner as a dry run, issue 6 §3).
bp = Blueprint("inspections", __name__, url_prefix="/inspecties", cli_group=None)

from barrier.inspections import cli, panels, views  # noqa: E402,F401


@events.application_decided.connect
def _permit_becomes_location(sender, permit=None, **_kwargs):
    """A granted permit's address becomes an inspectable location (issue 6 §1)."""
    if permit is not None:
        from barrier.inspections.services import ensure_location_for_permit

        ensure_location_for_permit(permit)


register_nav(NavItem("Locaties", "inspections.list_locations", Permission.VIEW_LOCATIONS, order=200,
                     active_prefixes=("inspections.list_locations", "inspections.location_detail",
                                      "inspections.new_location", "inspections.new_inspection",
                                      "inspections.inspection_detail", "inspections.edit_inspection")))
register_nav(NavItem("Mijn controles", "inspections.my_visits", Permission.RECORD_INSPECTIONS, order=205))
register_nav(NavItem("Planning", "inspections.list_plans", Permission.PLAN_INSPECTIONS, order=210,
                     active_prefixes=("inspections.list_plans", "inspections.plan_detail")))
register_nav(NavItem("Handhaving", "inspections.enforcement_worklist", Permission.MANAGE_ENFORCEMENT, order=220))
register_panel(Panel("inspections.my_visits", "Mijn controles: komende 7 dagen", Permission.RECORD_INSPECTIONS,
                     panels.my_visit_items, empty_text="Geen controles gepland in de komende week.",
                     more_endpoint="inspections.my_visits", order=40))
register_panel(Panel("inspections.enforcement", "Handhaving: termijnen", Permission.MANAGE_ENFORCEMENT,
                     panels.enforcement_items, empty_text="Geen openstaande maatregelen.",
                     more_endpoint="inspections.enforcement_worklist", order=45))
