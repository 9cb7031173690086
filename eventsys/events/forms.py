"""Forms for managing events: details, categories, questions, roles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import ColorField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from eventsys.choices import options
from eventsys.events.enums import EventKind, QuestionKind, RoleName
from eventsys.events.models import Event
from eventsys.events.services import parent_choices, series_list
from eventsys.i18n import _zone_names
from eventsys.organisations.countries import country_choices
from eventsys.organisations.models import Organisation, OrganisationKind
from eventsys.validation import Form

if TYPE_CHECKING:
    from eventsys.accounts.models import User

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"

KIND_CHOICES = options(
    [
        (EventKind.CONFERENCE.value, _l("Conference")),
        (EventKind.GENERAL_ASSEMBLY.value, _l("General Assembly")),
        (EventKind.SIDE_EVENT.value, _l("Side event")),
    ]
)
QUESTION_KIND_CHOICES = options(
    [
        (QuestionKind.TEXT.value, _l("Short text")),
        (QuestionKind.LONG_TEXT.value, _l("Long text")),
        (QuestionKind.SINGLE_CHOICE.value, _l("One choice from a list")),
        (QuestionKind.MULTIPLE_CHOICE.value, _l("Several choices from a list")),
        (QuestionKind.YES_NO.value, _l("Yes or no")),
        (QuestionKind.COUNTRY.value, _l("Country")),
    ]
)
ROLE_CHOICES = options(
    [
        (RoleName.ORGANISER.value, _l("Organiser")),
        (RoleName.CHECKIN.value, _l("Check-in staff")),
        (RoleName.REVIEWER.value, _l("Reviewer")),
    ]
)
VISIBILITY_CHOICES = options(
    [
        ("public", _l("Public: people choose it when they register")),
        ("assigned", _l("Organiser-assigned: hidden from the public form")),
    ]
)


def timezone_choices() -> list[SelectChoice]:
    """IANA zones people pick from (the region/city ones, not legacy aliases)."""
    zones = sorted(
        z for z in _zone_names() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))
    )
    return options([("", "—")], ((z, z.replace("_", " ")) for z in zones), [("UTC", "UTC")])


def _int_or_none(value: Any) -> int | None:
    return int(value) if value not in (None, "", "None", "0", 0) else None


class EventForm(Form):
    slug = StringField(
        _l("Short name in the address"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lower-case letters, digits and hyphens, e.g. cascais-2024. Cannot change."),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    kind = SelectField(_l("Kind of event"), choices=KIND_CHOICES)
    timezone = SelectField(
        _l("Time zone"),
        validators=[DataRequired(_l("Please choose the time zone of the venue."))],
        description=_l("Type every time below as the clocks at the venue show it."),
    )
    starts_at = DateTimeLocalField(
        _l("Starts (local time)"), format=LOCAL_FORMAT, validators=[DataRequired()]
    )
    ends_at = DateTimeLocalField(
        _l("Ends (local time)"), format=LOCAL_FORMAT, validators=[DataRequired()]
    )
    venue_name = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    venue_address = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[Optional()])
    languages = StringField(
        _l("Languages"),
        validators=[Optional(), Length(max=200)],
        description=_l("Language codes, separated by commas, e.g. en, pt."),
    )
    default_locale = StringField(
        _l("Default language"), validators=[DataRequired(), Length(max=10)], default="en"
    )
    series_id = SelectField(_l("Series"), coerce=_int_or_none, validators=[Optional()])
    new_series = StringField(
        _l("…or a new series"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example: Climate Alliance International Conference."),
    )
    parent_id = SelectField(
        _l("Part of (parent event)"), coerce=_int_or_none, validators=[Optional()]
    )
    host_organisation_id = SelectField(
        _l("Host organisation"), coerce=_int_or_none, validators=[Optional()]
    )
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens (local time)"), format=LOCAL_FORMAT, validators=[Optional()]
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes (local time)"),
        format=LOCAL_FORMAT,
        validators=[Optional()],
        description=_l("Empty: registration stays open until the event ends."),
    )
    capacity = IntegerField(
        _l("Capacity (places for the whole event)"),
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
        description=_l("Empty: no limit. Categories can have their own limits."),
    )
    requires_approval = BooleanField(_l("Organisers approve each registration"))
    participant_list_enabled = BooleanField(
        _l("Show a participant list (only people who agreed to appear in it)")
    )
    organiser_email = EmailField(
        _l("First organiser's e-mail (optional)"),
        validators=[Optional(), Email(), Length(max=254)],
    )

    def fill_choices(self, session: Session, event: Event | None, user: User) -> None:
        """`user` is who fills the form in: they see only the events they may choose."""
        self.timezone.choices = timezone_choices()
        self.country.choices = options([("", "—")], country_choices(str(get_locale() or "en")))
        self.series_id.choices = options(
            [("", "—")], ((s.id, s.name) for s in series_list(session))
        )
        self.parent_id.choices = options([("", "—")], parent_choices(session, user, event))
        # Networks, NGOs and regions host events; the thousands of member towns would drown them.
        current = event.host_organisation_id if event is not None else None
        hosts = session.execute(
            select(Organisation.id, Organisation.name)
            .where(
                (Organisation.kind != OrganisationKind.MUNICIPALITY) | (Organisation.id == current)
            )
            .order_by(Organisation.name)
        ).all()
        self.host_organisation_id.choices = options([("", "—")], hosts)


class EventEditForm(EventForm):
    """Organisers edit everything but the address (links in mails and badges depend on it)."""

    slug = None
    organiser_email = None


class CategoryForm(Form):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("Short, for exports and the API, e.g. delegate."),
    )
    label = StringField(_l("Label"), validators=[DataRequired(), Length(max=100)])
    colour = ColorField(_l("Colour (badges and lists)"), default="#2f6f4f")
    capacity = IntegerField(
        _l("Capacity"),
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
        description=_l("Empty: only the event's capacity applies."),
    )
    visibility = RadioField(_l("Who chooses it"), choices=VISIBILITY_CHOICES, default="public")
    position = IntegerField(_l("Order"), validators=[Optional(), NumberRange(min=0, max=10_000)])


class QuestionForm(Form):
    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Type of answer"), choices=QUESTION_KIND_CHOICES)
    options = TextAreaField(
        _l("Options, one a line"),
        validators=[Optional(), Length(max=10000)],
        description=_l("Only for the choice types."),
    )
    required = BooleanField(_l("An answer is required"))
    on_badge = BooleanField(_l("Print the answer on the badge"))
    position = IntegerField(_l("Order"), validators=[Optional(), NumberRange(min=0, max=10_000)])
    is_active = BooleanField(_l("Active (asked on the registration form)"), default=True)


class RoleForm(Form):
    email = EmailField(_l("E-mail of their account"), validators=[DataRequired(), Email()])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
