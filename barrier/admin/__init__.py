"""Administration: users and roles, the gemeenten of the region, the audit log."""

from flask import Blueprint

from barrier.auth.permissions import Permission
from barrier.dashboard.registry import NavItem, Panel, register_nav, register_panel

bp = Blueprint("admin", __name__, url_prefix="/beheer")

from barrier.admin import services, views  # noqa: E402,F401

register_nav(NavItem("Gebruikers", "admin.list_users", Permission.MANAGE_USERS, order=900,
                     active_prefixes=("admin.new_user", "admin.edit_user")))
register_nav(NavItem("Auditlog", "admin.audit_log", Permission.VIEW_AUDIT_LOG, order=910))
register_nav(NavItem("Gemeenten", "admin.list_gemeenten", Permission.MANAGE_SETTINGS, order=920))
register_nav(NavItem("Instellingen", "admin.list_settings", Permission.MANAGE_SETTINGS, order=930,
                     active_prefixes=("admin.edit_settings",)))
register_panel(Panel("admin.locked_users", "Geblokkeerde accounts", Permission.MANAGE_USERS,
                     services.locked_user_items, empty_text="Geen geblokkeerde accounts.",
                     more_endpoint="admin.list_users", order=900))
register_panel(Panel("admin.refusals", "Geweigerde toegang (laatste 7 dagen)", Permission.VIEW_AUDIT_LOG,
                     services.recent_refusal_items, empty_text="Geen geweigerde toegang.",
                     more_endpoint="admin.audit_log", order=910))
