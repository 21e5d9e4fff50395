"""Extra sections other areas add to the application page and badges to the list.

The Bibob area shows its stage and conclusion (never its contents); the register area shows
open register hits. Each section declares the permission needed to see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask_login import current_user

from barrier.auth.permissions import Permission, has_permission


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    permission: Permission
    # Returns the template context for this application, or None to hide the section.
    provider: Callable[[Any], dict | None]
    order: int = 100


@dataclass(frozen=True)
class ListBadge:
    key: str
    permission: Permission
    # Given applications, returns {application_id: (label, tone)} in one query.
    provider: Callable[[list], dict[int, tuple[str, str]]]


SECTIONS: list[Section] = []
BADGES: list[ListBadge] = []


def register_section(section: Section) -> None:
    if all(s.key != section.key for s in SECTIONS):
        SECTIONS.append(section)
        SECTIONS.sort(key=lambda s: s.order)


def register_list_badge(badge: ListBadge) -> None:
    if all(b.key != badge.key for b in BADGES):
        BADGES.append(badge)


def sections_for(app) -> list[tuple[Section, dict]]:
    shown = []
    for section in SECTIONS:
        if not has_permission(current_user, section.permission):
            continue
        context = section.provider(app)
        if context is not None:
            shown.append((section, context))
    return shown


def list_badges(applications: Iterable) -> dict[int, list[tuple[str, str]]]:
    apps = list(applications)
    result: dict[int, list[tuple[str, str]]] = {}
    for badge in BADGES:
        if not has_permission(current_user, badge.permission):
            continue
        for app_id, value in badge.provider(apps).items():
            result.setdefault(app_id, []).append(value)
    return result
