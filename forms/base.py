"""The base form of Barrier: Dutch messages, whitespace stripped, hostile input contained."""

from __future__ import annotations

import unicodedata

from flask_wtf import FlaskForm


def strip_whitespace(value):
    return value.strip() if isinstance(value, str) else value


def remove_control_characters(value):
    """Drop control characters (NUL, escape sequences) but keep tabs and line breaks in text."""
    if not isinstance(value, str):
        return value
    return "".join(
        ch for ch in value if ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    )


class BaseForm(FlaskForm):
    """All Barrier forms. Flask-Babel (locale nl) gives WTForms' built-in messages in Dutch."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            from wtforms import FieldList, FormField

            if issubclass(unbound_field.field_class, FormField | FieldList):
                # Their sub-forms get the filters field by field; the container takes none.
                return unbound_field.bind(form=form, **options)
            filters = unbound_field.kwargs.get("filters", ())
            return unbound_field.bind(
                form=form, filters=[remove_control_characters, strip_whitespace, *filters], **options
            )


def options(pairs) -> list:
    """(value, label) pairs as WTForms SelectChoice objects (tuples are deprecated from WTForms 3.3)."""
    from wtforms import SelectChoice

    return [pair if isinstance(pair, SelectChoice) else SelectChoice(pair[0], pair[1]) for pair in pairs]
