"""What each area contributes to the navigation and to the home page.

Areas register in their package ``__init__``; the layout and the home page show only what the
user's permissions allow, so a role sees exactly its own work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from barrier.auth.permissions import Permission


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    permission: Permission
    order: int = 100
    # Endpoint prefixes that also highlight this item ("admin.edit_user", or "inspections.").
    active_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PanelItem:
    title: str
    url: str
    detail: str = ""
    badge: str = ""
    tone: str = "neutral"  # neutral | info | warning | danger | success


@dataclass(frozen=True)
class Panel:
    """A list on the home page: what waits for the user, most urgent first."""

    key: str
    title: str
    permission: Permission
    provider: Callable[[Any], list[PanelItem]]
    empty_text: str = "Er wacht hier niets op u."
    more_endpoint: str | None = None
    order: int = 100
    extra: dict = field(default_factory=dict)


NAV_ITEMS: list[NavItem] = []
PANELS: list[Panel] = []


def register_nav(item: NavItem) -> None:
    if all(existing.endpoint != item.endpoint for existing in NAV_ITEMS):
        NAV_ITEMS.append(item)
        NAV_ITEMS.sort(key=lambda nav: nav.order)


def register_panel(panel: Panel) -> None:
    if all(existing.key != panel.key for existing in PANELS):
        PANELS.append(panel)
        PANELS.sort(key=lambda p: p.order)
