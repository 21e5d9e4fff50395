"""Bibob: the dossier on an application (questionnaire, checklist, own investigation, LBB advice,
judgement, voornemen and zienswijze), the advice report PDF, disclosures and retention (domain.md §1)."""

from flask import Blueprint

from barrier.applications.sections import ListBadge, Section, register_list_badge, register_section
from barrier.auth.permissions import Permission
from barrier.dashboard.registry import NavItem, Panel, register_nav, register_panel

# cli_group=None: the commands are top-level (`flask --app wsgi bibob-report ...`).
bp = Blueprint("bibob", __name__, cli_group=None)

from barrier.bibob import cli, panels, receivers, views  # noqa: E402,F401

register_nav(NavItem("Bibob", "bibob.list_dossiers", Permission.VIEW_BIBOB_DETAILS, order=200,
                     active_prefixes=("bibob.",)))
register_nav(NavItem("Bibob-bewaartermijnen", "bibob.retention_overview", Permission.MANAGE_BIBOB_RETENTION, order=930))
register_section(Section("bibob", "Bibob", "bibob/_application_section.html", Permission.VIEW_BIBOB_STATUS,
                         panels.application_section, order=20))
register_list_badge(ListBadge("bibob", Permission.VIEW_BIBOB_STATUS, panels.list_badges))
register_panel(Panel("bibob.open", "Open Bibob-dossiers", Permission.VIEW_BIBOB_DETAILS, panels.open_dossier_items,
                     empty_text="Geen open Bibob-dossiers.", more_endpoint="bibob.list_dossiers", order=40))
register_panel(Panel("bibob.lbb", "Advies LBB: termijnen (8 + max. 4 weken)", Permission.VIEW_BIBOB_DETAILS,
                     panels.lbb_due_items, empty_text="Geen lopende adviesaanvragen bij het LBB.", order=50))
register_panel(Panel("bibob.concepts", "Adviesrapporten in concept", Permission.VIEW_BIBOB_DETAILS,
                     panels.concept_report_items, empty_text="Geen rapporten in concept.", order=60))
