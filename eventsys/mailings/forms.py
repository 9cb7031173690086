"""The mailing form: who (filters), what kind, and the text per language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from eventsys.choices import options
from eventsys.events.models import Event
from eventsys.i18n import language_name
from eventsys.mailings.content import PLACEHOLDERS, translation_locales
from eventsys.mailings.filters import FilterOptions, MailingFilters
from eventsys.mailings.models import MailingKind
from eventsys.organisations.countries import country_name
from eventsys.registration.forms import MultiCheckboxField
from eventsys.validation import Form, db_int

KIND_CHOICES = options(
    [
        (MailingKind.REGISTRATION.value, _l("About their registration (sent to everyone)")),
        (
            MailingKind.NEWS.value,
            _l("News (carries an opt-out link; skips those who opted out)"),
        ),
    ]
)
STATUS_CHOICES = options(
    [
        ("confirmed", _l("confirmed")),
        ("waitlisted", _l("on the waiting list")),
        ("pending", _l("awaiting approval")),
    ]
)
CHECKED_IN_CHOICES = options(
    [("", _l("Checked in or not")), ("yes", _l("Checked in")), ("no", _l("Not checked in"))]
)
ANY = _l("Any")


def placeholder_hint() -> str:
    return ", ".join("{" + name + "}" for name in PLACEHOLDERS)


class MailingFormBase(Form):
    kind = RadioField(
        _l("What is it about?"), choices=KIND_CHOICES, default=MailingKind.REGISTRATION.value
    )
    category = SelectField(_l("Category"), validators=[Optional()])
    statuses = MultiCheckboxField(
        _l("Registration status"), choices=STATUS_CHOICES, default=["confirmed"]
    )
    checked_in = SelectField(_l("Check-in"), choices=CHECKED_IN_CHOICES, default="")
    session = SelectField(_l("Signed up for the session"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    subject = StringField(_l("Subject"), validators=[Length(max=300)])
    body = TextAreaField(_l("Text"), validators=[Length(max=20000)])

    translation_locales: list[str] = []

    def filters(self) -> MailingFilters:
        return MailingFilters(
            category_id=_int_or_none(self.category.data),
            statuses=list(self.statuses.data or []),
            checked_in=self.checked_in.data or "",
            session_id=_int_or_none(self.session.data),
            country=self.country.data or None,
            organisation_id=_int_or_none(self.organisation.data),
            language=self.language.data or None,
        )

    def set_filters(self, filters: MailingFilters) -> None:
        self.category.data = str(filters.category_id or "")
        self.statuses.data = list(filters.statuses)
        self.checked_in.data = filters.checked_in
        self.session.data = str(filters.session_id or "")
        self.country.data = filters.country or ""
        self.organisation.data = str(filters.organisation_id or "")
        self.language.data = filters.language or ""

    def translations(self) -> dict[str, tuple[str, str]]:
        return {
            code: (
                self[f"subject_{code}"].data or "",
                self[f"body_{code}"].data or "",
            )
            for code in self.translation_locales
        }

    def set_translations(self, subjects: dict[str, Any], bodies: dict[str, Any]) -> None:
        for code in self.translation_locales:
            self[f"subject_{code}"].data = subjects.get(code, "")
            self[f"body_{code}"].data = bodies.get(code, "")


def _int_or_none(value: str | None) -> int | None:
    return db_int(value) or None


def mailing_form(event: Event, found: FilterOptions, locale: str, **kwargs: Any) -> MailingFormBase:
    """The form for this event: its languages' text fields, and filters offering its values."""

    class MailingForm(MailingFormBase):
        pass

    locales = translation_locales(event)
    for code in locales:
        name = language_name(code)
        setattr(
            MailingForm,
            f"subject_{code}",
            StringField(_l("Subject (%(language)s)", language=name), validators=[Length(max=300)]),
        )
        setattr(
            MailingForm,
            f"body_{code}",
            TextAreaField(_l("Text (%(language)s)", language=name), validators=[Length(max=20000)]),
        )
    MailingForm.translation_locales = locales
    form = MailingForm(**kwargs)
    form.category.choices = options(
        [("", ANY)], [(str(c.id), c.localized_label(locale)) for c in event.categories]
    )
    form.session.choices = options([("", ANY)], [(str(i), t) for i, t in found.sessions])
    form.country.choices = options(
        [("", ANY)], [(code, country_name(code, locale)) for code in found.countries]
    )
    form.organisation.choices = options([("", ANY)], [(str(i), n) for i, n in found.organisations])
    languages = [event.default_locale, *locales]
    form.language.choices = options([("", ANY)], [(c, language_name(c)) for c in languages])
    return form
