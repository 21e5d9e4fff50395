"""The risk register: entries, import, screening of every party and address, review of hits,
proposals from decisions and inspections, re-screening (issue 4; DESIGN.md "Storage and scale")."""

from flask import Blueprint

from barrier.applications.sections import ListBadge, Section, register_list_badge, register_section
from barrier.auth.permissions import Permission
from barrier.dashboard.registry import NavItem, Panel, register_nav, register_panel

# cli_group=None: the commands are top-level (`flask --app wsgi register-import ...`).
bp = Blueprint("register", __name__, url_prefix="/register", cli_group=None)

from barrier.register import cli, panels, receivers, views  # noqa: E402,F401

register_nav(NavItem("Treffers", "register.list_hits", Permission.REVIEW_HITS, order=205,
                     active_prefixes=("register.list_hits", "register.hit_detail")))
register_nav(NavItem("Risicoregister", "register.list_entities", Permission.VIEW_REGISTER, order=210,
                     active_prefixes=("register.list_entities", "register.entity_detail", "register.new_entity",
                                      "register.edit_entity", "register.import", "register.rescreen",
                                      "register.list_proposals")))
register_section(Section("register.hits", "Registertreffers", "register/_application_hits.html",
                         Permission.REVIEW_HITS, panels.application_section, order=25))
register_list_badge(ListBadge("register.open_hits", Permission.REVIEW_HITS, panels.list_badges))
register_panel(Panel("register.hits", "Treffers wachtend op beoordeling", Permission.REVIEW_HITS,
                     panels.open_hit_items, empty_text="Geen treffers te beoordelen.",
                     more_endpoint="register.list_hits", order=35))
register_panel(Panel("register.proposals", "Voorstellen voor het risicoregister", Permission.EDIT_REGISTER,
                     panels.proposal_items, empty_text="Geen voorstellen die op bevestiging wachten.",
                     more_endpoint="register.list_proposals", order=38))
register_panel(Panel("register.admin", "Registerimport / herscreening", Permission.RUN_RESCREENING,
                     panels.admin_items, more_endpoint="register.rescreen_status", order=70))
