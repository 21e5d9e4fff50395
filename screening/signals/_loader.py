"""Load a packaged YAML data file and validate it against a JSON Schema.

Shared by ``screening.signals`` and ``screening.inspections``: the data files are the spec
(domain.md §0: items carry stable ids and are loaded as seed data), so a malformed file must
fail loudly at load time, not when an inspector opens a checklist.
"""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator


class DataFileError(ValueError):
    """A data file does not match its schema or breaks a cross-reference rule."""


def read_yaml(package: str, filename: str, path: str | Path | None = None) -> Any:
    """Return the parsed YAML of *filename* in ``<package>/data/``, or of *path* when given."""
    if path is not None:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files(package).joinpath("data").joinpath(filename).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def validate(document: Any, schema: dict[str, Any], *, name: str) -> None:
    """Raise :class:`DataFileError` listing every schema violation in *document*."""
    validator = Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{'/'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message}" for e in errors]
        raise DataFileError(f"Gegevensbestand {name} is ongeldig:\n" + "\n".join(lines))


def require_unique(ids: list[str], *, name: str, what: str) -> None:
    """Raise :class:`DataFileError` when an id occurs twice: ids are stored with findings."""
    counts = Counter(ids)
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if duplicates:
        raise DataFileError(f"Gegevensbestand {name}: dubbele {what}: {', '.join(duplicates)}")
