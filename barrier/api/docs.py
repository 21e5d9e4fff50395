"""The readable documentation page, rendered on the server from the OpenAPI document itself.

No viewer script (the CSP allows only our own scripts, and none is needed): each operation and
the fields of its request and responses become tables, so the page shows exactly what the
document says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

METHOD_ORDER = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: str
    required: bool
    description: str


@dataclass
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    scope: str
    parameters: list[dict[str, Any]]
    body_media_type: str = ""
    body_fields: list[FieldRow] = field(default_factory=list)
    responses: list[tuple[str, str, str, list[FieldRow]]] = field(default_factory=list)


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 20:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"].get(name, {})
        seen += 1
    return schema


def _non_null(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [option for option in options if option.get("type") != "null"]


def type_label(schema: dict[str, Any], document: dict[str, Any]) -> str:
    if "$ref" in schema:
        target = _resolve(schema, document)
        return target.get("title") or schema["$ref"].rsplit("/", 1)[-1]
    if "const" in schema:
        return f'"{schema["const"]}"'
    if "enum" in schema:
        return " | ".join(f'"{value}"' for value in schema["enum"])
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        labels = [type_label(option, document) for option in _non_null(options)]
        nullable = len(labels) < len(options)
        return " of ".join(labels) + (" (of null)" if nullable else "")
    kind = schema.get("type", "")
    if kind == "array":
        return f"lijst van {type_label(schema.get('items', {}), document)}"
    if kind == "object" and "additionalProperties" in schema and not schema.get("properties"):
        return "object"
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else (kind or "waarde")


def _object_like(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema(s) to open up under a field: itself, its array items, or its non-null option."""
    schema = _resolve(schema, document)
    if schema.get("type") == "array":
        return _object_like(schema.get("items", {}), document)
    options = schema.get("anyOf")
    if options and len(_non_null(options)) == 1:
        return _object_like(_non_null(options)[0], document)
    if schema.get("properties") or schema.get("oneOf"):
        return schema
    return None


def field_rows(schema: dict[str, Any], document: dict[str, Any], prefix: str = "", depth: int = 0) -> list[FieldRow]:
    schema = _resolve(schema, document)
    rows: list[FieldRow] = []
    if depth > 6:
        return rows
    if "oneOf" in schema:
        for option in schema["oneOf"]:
            target = _resolve(option, document)
            title = target.get("title", "")
            rows.append(FieldRow(f"{prefix or '(bericht)'} — variant", title, False, target.get("description", "")))
            rows += field_rows(target, document, prefix, depth + 1)
        return rows
    required = set(schema.get("required", []))
    for name, prop in (schema.get("properties") or {}).items():
        full = f"{prefix}{name}"
        rows.append(FieldRow(full, type_label(prop, document), name in required,
                             prop.get("description", "") or _resolve(prop, document).get("description", "")))
        nested = _object_like(prop, document)
        if nested is not None:
            is_list = _resolve(prop, document).get("type") == "array"
            rows += field_rows(nested, document, f"{full}[]." if is_list else f"{full}.", depth + 1)
    return rows


def render_operations(document: dict[str, Any]) -> list[Operation]:
    operations = []
    for path, item in document.get("paths", {}).items():
        for method in METHOD_ORDER:
            operation = item.get(method)
            if not operation:
                continue
            op = Operation(method=method.upper(), path=path, operation_id=operation.get("operationId", ""),
                           summary=operation.get("summary", ""), description=operation.get("description", ""),
                           scope=operation.get("x-scope", ""), parameters=operation.get("parameters", []))
            body = operation.get("requestBody", {}).get("content", {})
            for media_type, content in body.items():
                op.body_media_type = media_type
                op.body_fields = field_rows(content.get("schema", {}), document)
            for code, response in sorted(operation.get("responses", {}).items()):
                content = response.get("content", {})
                media_type = next(iter(content), "")
                rows = field_rows(content[media_type].get("schema", {}), document) if media_type and int(code) < 400 else []
                op.responses.append((code, response.get("description", ""), media_type, rows))
            operations.append(op)
    return operations
