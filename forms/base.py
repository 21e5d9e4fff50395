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


# Integers beyond this are no count, week or year anyone means. WTForms' IntegerField accepts any
# number of digits and NumberRange then crashes on them (math.isnan raises OverflowError above
# ~1e308): found by fuzzing (tests/fuzz). Bounded once here, for every form and sub-form.
MAX_INTEGER = 10**15


def _bounded_integer(process_formdata):
    def process(self, valuelist):
        process_formdata(self, valuelist)
        if isinstance(self.data, int) and abs(self.data) > MAX_INTEGER:
            self.data = None
            raise ValueError("Dit getal is te groot.")

    process.barrier_bounded = True
    return process


def _bound_integer_fields() -> None:
    from wtforms import IntegerField

    if not getattr(IntegerField.process_formdata, "barrier_bounded", False):
        IntegerField.process_formdata = _bounded_integer(IntegerField.process_formdata)


_bound_integer_fields()


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
