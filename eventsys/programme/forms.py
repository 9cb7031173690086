"""Forms of the timetable editor; every one works without JavaScript."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from eventsys.choices import options
from eventsys.events.localtime import strict_local_to_utc
from eventsys.programme.models import SessionKind
from eventsys.programme.services import SpeakerData
from eventsys.validation import Form

KIND_LABELS = {
    SessionKind.PLENARY: _l("Plenary"),
    SessionKind.WORKSHOP: _l("Workshop"),
    SessionKind.PANEL: _l("Panel"),
    SessionKind.BREAK: _l("Break"),
    SessionKind.GENERAL_ASSEMBLY: _l("General Assembly session"),
}
EMAIL_IN_LINE = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>\s*$")


class RoomForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    capacity = IntegerField(_l("Places"), validators=[Optional(), NumberRange(min=0)])
    opens_at = TimeField(_l("Opens"), validators=[Optional()])
    closes_at = TimeField(_l("Closes"), validators=[Optional()])


class TrackForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    colour = StringField(_l("Colour"), default="#2f6f4f", validators=[DataRequired()])


class PlaceFields:
    """Where and when, typed in the event's zone."""

    day = SelectField(_l("Day"), validators=[DataRequired()])
    start = TimeField(_l("Starts"), validators=[DataRequired()])
    end = TimeField(_l("Ends"), validators=[Optional()])
    room_id = SelectField(_l("Room"), coerce=int, default=0)

    def set_choices(self, days: list[date], rooms: list, day_label) -> None:
        self.day.choices = options((d.isoformat(), day_label(d)) for d in days)
        self.room_id.choices = options([(0, _l("No room yet"))], ((r.id, r.name) for r in rooms))

    def span(self, zone: str) -> tuple[datetime, datetime | None]:
        """UTC start and end; a time the day's clock change skips or repeats is refused
        (ServiceError naming the field) rather than guessed."""
        day = date.fromisoformat(self.day.data)
        start = strict_local_to_utc(datetime.combine(day, self.start.data), zone, field="start")
        end = (
            strict_local_to_utc(datetime.combine(day, self.end.data), zone, field="end")
            if self.end.data
            else None
        )
        return start, end


class MoveForm(PlaceFields, Form):
    pass


class SessionForm(PlaceFields, Form):
    end = TimeField(_l("Ends"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(
        _l("Kind"),
        choices=options((k.value, label) for k, label in KIND_LABELS.items()),
        default="workshop",
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)])
    language = StringField(
        _l("Language"), default="en", validators=[DataRequired(), Length(max=10)]
    )
    track_id = SelectField(_l("Track"), coerce=int, default=0)
    speakers = TextAreaField(
        _l("Speakers"),
        description=_l(
            "One per line. Add an account's e-mail in angle brackets to link a registered "
            "person: Ana Silva <ana@example.org>"
        ),
    )
    capacity = IntegerField(_l("Places"), validators=[Optional(), NumberRange(min=0)])
    signup_required = BooleanField(_l("Participants sign up (limited places)"))

    def speaker_lines(self) -> list[tuple[str, str | None]]:
        lines = []
        for raw in (self.speakers.data or "").splitlines():
            line = raw.strip()
            if not line:
                continue
            match = EMAIL_IN_LINE.match(line)
            if match:
                lines.append((match["name"].strip() or match["email"], match["email"].lower()))
            else:
                lines.append((line, None))
        return lines


def speakers_text(speakers: list, emails: dict[int, str]) -> str:
    return "\n".join(
        f"{s.name} <{emails[s.user_id]}>" if s.user_id in emails else s.name for s in speakers
    )


def speaker_data(lines: list[tuple[str, str | None]], users_by_email: dict[str, int]):
    return [
        SpeakerData(name=name, user_id=users_by_email.get(email or "")) for name, email in lines
    ]


class PublishForm(Form):
    comment = TextAreaField(_l("Note for participants (optional)"), validators=[Length(max=2000)])
