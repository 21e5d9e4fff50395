"""Find the forms of the app the way a browser does: crawl the pages a user can reach, parse them.

A new area's forms are fuzzed as soon as its pages are linked from the menu or the home page;
nothing has to be listed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Never followed: leaving the session, and download links (no HTML, and some are audited disclosures).
SKIP_LINK = re.compile(r"^/(uitloggen|static/)|\.(csv|ics|pdf|xlsx|json)$")
SKIP_ACTION = re.compile(r"^/uitloggen")


@dataclass
class FormSpec:
    page: str                     # the page the form is on (for the Referer)
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)   # name -> values on the page
    options: dict[str, list[str]] = field(default_factory=dict)  # select/radio name -> choices
    files: list[str] = field(default_factory=list)
    checkboxes: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """One target per form: the action with ids folded, and its field names."""
        action = re.sub(r"/\d+", "/<id>", self.action)
        return f"{self.method} {action} [{','.join(sorted(self.fields))}]"


class _Parser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.path = urlsplit(page).path
        self.forms: list[FormSpec] = []
        self.links: list[str] = []
        self._form: FormSpec | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self._form = FormSpec(page=self.path, action=urlsplit(action).path + (
                "?" + urlsplit(action).query if urlsplit(action).query else ""), method=(a.get("method") or "get").upper())
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            name, kind = a["name"], (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                self._form.options.setdefault(name, []).append(a.get("value", ""))
                self._form.fields.setdefault(name, [])
            elif kind == "file":
                self._form.files.append(name)
            elif kind in ("checkbox", "radio"):
                self._form.options.setdefault(name, []).append(a.get("value", "on"))
                values = self._form.fields.setdefault(name, [])
                if "checked" in a:
                    values.append(a.get("value", "on"))
                if kind == "checkbox":
                    self._form.checkboxes.add(name)
            else:
                self._form.fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.fields.setdefault(self._select, [])
            self._form.options.setdefault(self._select, [])
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._form.options[self._select].append(value)
            if "selected" in a:
                self._form.fields[self._select].append(value)
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._text = []
        elif tag == "button" and a.get("name"):
            self._form.options.setdefault(a["name"], []).append(a.get("value", ""))
            self._form.fields.setdefault(a["name"], [])

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.fields[self._textarea] = ["".join(self._text).lstrip("\n")]
            self._textarea = None


def parse(page: str, html: str) -> tuple[list[FormSpec], list[str]]:
    parser = _Parser("https://localhost" + page)
    parser.feed(html)
    links = []
    for link in parser.links:
        parts = urlsplit(link)
        if parts.netloc == "localhost" and parts.path and not SKIP_LINK.search(parts.path):
            links.append(parts.path + ("?" + parts.query if parts.query else ""))
    forms = [f for f in parser.forms if not SKIP_ACTION.search(f.action)]
    return forms, links


def _pattern(path: str) -> str:
    return re.sub(r"\?.*$", "", re.sub(r"/\d+", "/<id>", path))


def crawl(client, start: str = "/", *, max_pages: int = 80, per_pattern: int = 2) -> tuple[list[FormSpec], list[str]]:
    """Breadth-first over the links a user sees; at most ``per_pattern`` pages per URL shape."""
    seen_pages: list[str] = []
    seen_patterns: dict[str, int] = {}
    forms: dict[str, FormSpec] = {}
    queue = [start]
    queued = {start}
    while queue and len(seen_pages) < max_pages:
        path = queue.pop(0)
        pattern = _pattern(path)
        if seen_patterns.get(pattern, 0) >= per_pattern:
            continue
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        seen_patterns[pattern] = seen_patterns.get(pattern, 0) + 1
        seen_pages.append(path)
        page_forms, links = parse(path, response.get_data(as_text=True))
        for form in page_forms:
            forms.setdefault(form.key, form)
        for link in links:
            if link not in queued:
                queued.add(link)
                queue.append(link)
    return list(forms.values()), seen_pages
