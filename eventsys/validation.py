"""The input boundary shared by pages, forms and the API: what a number, a text and a time may be.

The database stores 32-bit integers, text without NUL and valid UTF-8, and times that Python and
SQL can both convert between zones. Input beyond that used to reach the driver and answer 500; the
helpers here refuse it where it comes in, as a 404 (paths), a 4xx with the API's error format, or
a form error. They are wired up once: URL converters in create_app, the API's base schema in
eventsys.api.schema, the form base class `Form` for every HTML form.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any, overload

from flask import abort, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.routing import BaseConverter, IntegerConverter, UnicodeConverter
from werkzeug.routing import ValidationError as RoutingValidationError
from wtforms import Field, ValidationError
from wtforms.fields import DateField, DateTimeField, IntegerField, PasswordField, StringField

DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1
EARLIEST = datetime(1900, 1, 1)
LATEST = datetime(2999, 12, 31, 23, 59, 59)
MAX_JSON_DEPTH = 64

# C0 controls but tab, newline and carriage return; DEL; the UTF-16 surrogates, which only reach
# Python alone (JSON "\ud800") and cannot be encoded for the database.
BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Word's Shift+Enter (vertical tab) and page breaks are line breaks to the person who typed them.
LINE_BREAKS = re.compile("[\x0b\x0c]")
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def has_bad_text(value: str) -> bool:
    return BAD_TEXT.search(value) is not None


def clean_text(value: Any) -> Any:
    """Form text without the characters no one means to type (kept as line breaks where they
    were ones)."""
    if not isinstance(value, str):
        return value
    return BAD_TEXT.sub("", LINE_BREAKS.sub("\n", value))


def is_db_int(value: int) -> bool:
    return DB_INT_MIN <= value <= DB_INT_MAX


def is_sane_time(value: datetime | date) -> bool:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return EARLIEST.replace(tzinfo=UTC) <= value <= LATEST.replace(tzinfo=UTC)
        return EARLIEST <= value <= LATEST
    return EARLIEST.date() <= value <= LATEST.date()


def time_range_message() -> str:
    return _("Give a time between %(first)s and %(last)s.", first=EARLIEST.year, last=LATEST.year)


# Paths ----------------------------------------------------------------------------------------


class DbIntConverter(IntegerConverter):
    """`<int:...>` limited to what an id column holds: beyond it no such row exists (404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


class TextConverter(UnicodeConverter):
    """`<slug>` and `<string:...>` without control characters: no slug has them (404)."""

    def to_python(self, value: str) -> str:
        if has_bad_text(value):
            raise RoutingValidationError()
        return value


CONVERTERS: dict[str, type[BaseConverter]] = {
    "int": DbIntConverter,
    "default": TextConverter,
    "string": TextConverter,
}


# Query arguments and raw form values ------------------------------------------------------------

_INT_TEXT = re.compile(r"-?[0-9]{1,20}")


def db_int(text: str | None) -> int | None:
    """An id or number typed as text, when it is one the database can hold; otherwise None."""
    if text is None or not _INT_TEXT.fullmatch(text.strip()):
        return None
    value = int(text)
    return value if is_db_int(value) else None


def db_ints(texts: list[str]) -> list[int]:
    """The values of a multi-valued field that are ids the database can hold (others name no
    row, so they are left out)."""
    return [value for value in map(db_int, texts) if value is not None and value >= 0]


@overload
def arg_int(name: str, default: int, *, minimum: int = DB_INT_MIN) -> int: ...
@overload
def arg_int(name: str, default: None = None, *, minimum: int = DB_INT_MIN) -> int | None: ...
def arg_int(name: str, default: int | None = None, *, minimum: int = DB_INT_MIN) -> int | None:
    """An integer query argument; a malformed one is ignored, one out of range is a 404 (there
    is no such page, room or track)."""
    raw = request.args.get(name, "").strip()
    if not _INT_TEXT.fullmatch(raw):
        return default
    value = int(raw)
    if not (minimum <= value <= DB_INT_MAX):
        abort(404)
    return value


def refuse_bad_query_text() -> None:
    """Before every page: a query string with NUL or control characters is a bad request (the
    API's schemas answer it per field instead)."""
    if request.path.startswith("/api/"):
        return
    for key, value in request.args.items(multi=True):
        if has_bad_text(key) or has_bad_text(value):
            abort(400)


# JSON bodies ----------------------------------------------------------------------------------


class JSONTooDeepError(ValueError):
    """A JSON body nested deeper than any real request; a ValueError, so parsers answer 400."""


def check_json_depth(data: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Refuse nesting beyond max_depth before the recursive parser sees it (which would run out
    of stack and answer 500)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    depth = 0
    for match in _JSON_TOKENS.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > max_depth:
                raise JSONTooDeepError(f"JSON nested deeper than {max_depth} levels.")
        elif token in (b"]", b"}"):
            depth -= 1


def loads_bounded(data: bytes | str, **kwargs: Any) -> Any:
    check_json_depth(data)
    return json.loads(data, **kwargs)


# HTML forms -----------------------------------------------------------------------------------


def _db_int_range(form: Any, field: Field) -> None:
    if field.data is not None and not is_db_int(field.data):
        raise ValidationError(
            _("Give a number between %(low)s and %(high)s.", low=DB_INT_MIN, high=DB_INT_MAX)
        )


def _sane_time(form: Any, field: Field) -> None:
    # TimeField derives from DateTimeField: a time of day has no year to check.
    if isinstance(field.data, date) and not is_sane_time(field.data):
        raise ValidationError(time_range_message())


class Form(FlaskForm):
    """Every HTML form's base: text fields lose control characters, numbers and times stay in
    the range the database stores."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField) and not isinstance(field, PasswordField):
                field.filters = (*field.filters, clean_text)
            if isinstance(field, IntegerField):
                field.validators = [*field.validators, _db_int_range]
            if isinstance(field, DateTimeField | DateField):
                field.validators = [*field.validators, _sane_time]
            return field


class ActionForm(Form):
    """A one-button action (publish, cancel, undo a check-in ...): nothing but the CSRF token."""
