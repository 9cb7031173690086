"""The base of every API schema: the input boundary of eventsys.validation, for every field.

Each schema of the API derives from `Schema` here (tests/api/test_input_boundary.py checks it), so
a new field is bounded without anyone remembering to: integers to the database's 32-bit range and
whole numbers only (1.5 is refused, not stored as 1), times to a range that converts between zones,
text (anywhere in the input, under any field) without NUL, control characters or lone surrogates.
The integer bounds are validators, so the OpenAPI document states them too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import marshmallow
from marshmallow import ValidationError, fields, pre_load, validate

from eventsys.validation import DB_INT_MAX, DB_INT_MIN, has_bad_text, is_sane_time

BAD_TEXT_MESSAGE = "Text may not contain NUL, control characters or unpaired surrogates."
# What the OpenAPI document says of every text field (unpaired surrogates, refused too, have no
# portable regular expression).
PLAIN_TEXT = validate.Regexp(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", error=BAD_TEXT_MESSAGE)
NOT_WHOLE_MESSAGE = "Not a valid integer."


def _sane_time(value: Any) -> None:
    if value is not None and not is_sane_time(value):
        raise ValidationError("Give a time between the years 1900 and 2999.")


def _harden(field: fields.Field) -> None:
    """Add the database's bounds to a field and to the fields inside it (lists, dicts)."""
    if isinstance(field, fields.Integer):
        field.validators = [*field.validators, validate.Range(DB_INT_MIN, DB_INT_MAX)]
    elif isinstance(field, fields.DateTime):
        field.validators = [*field.validators, _sane_time]
    elif isinstance(field, fields.String) and not any(
        isinstance(getattr(v, "regex", None), re.Pattern) for v in field.validators
    ):
        field.validators = [*field.validators, PLAIN_TEXT]
    for inner in (
        getattr(field, "inner", None),
        getattr(field, "key_field", None),
        getattr(field, "value_field", None),
    ):
        if isinstance(inner, fields.Field):
            _harden(inner)


def _has_bad_text(value: Any) -> bool:
    if isinstance(value, str):
        return has_bad_text(value)
    if isinstance(value, Mapping):
        return any(_has_bad_text(k) or _has_bad_text(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_bad_text(v) for v in value)
    return False


def _is_integer_field(field: fields.Field) -> bool:
    return isinstance(field, fields.Integer)


def _not_whole(field: fields.Field, value: Any) -> bool:
    """True for input an integer field would truncate or misread: 1.5, true."""
    if isinstance(field, fields.List) and isinstance(value, list):
        return any(_not_whole(field.inner, v) for v in value)
    if not _is_integer_field(field):
        return False
    return isinstance(value, bool) or (isinstance(value, float) and not value.is_integer())


class Schema(marshmallow.Schema):
    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        _harden(field_obj)

    @pre_load
    def _refuse_unsafe_input(self, data: Any, **kwargs: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        errors: dict[str, list[str]] = {}
        for key in data:
            if _has_bad_text(key):
                errors["_schema"] = [BAD_TEXT_MESSAGE]
        for name, field in self.load_fields.items():
            key = field.data_key or name
            if key not in data:
                continue
            value = data[key]
            if _has_bad_text(value):
                errors[key] = [BAD_TEXT_MESSAGE]
            elif _not_whole(field, value):
                errors[key] = [NOT_WHOLE_MESSAGE]
        if errors:
            raise ValidationError(errors)
        return data


def versions_field(what: str) -> fields.Dict:
    """`<field>_translations` of content in several languages (see eventsys.i18n.content): the
    other languages' versions of a text, {locale: text}. Absent: the versions stay as they are;
    a language the site does not offer is refused with 422 and the field named."""
    return fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=10)),
        values=fields.String(),
        load_default=None,
        metadata={"description": f"The {what} in the event's other languages: {{locale: text}}."},
    )
