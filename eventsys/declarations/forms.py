"""Forms: publishing a declaration (with its languages) and signing it."""

from __future__ import annotations

import functools

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Optional

from eventsys.choices import options
from eventsys.declarations.models import Declaration, Eligibility, SignatureKind, SignerKinds
from eventsys.organisations.countries import country_choices
from eventsys.validation import Form

SIGNER_CHOICES = options(
    [
        (SignerKinds.BOTH.value, _l("Organisations and persons")),
        (SignerKinds.ORGANISATIONS.value, _l("Organisations only")),
        (SignerKinds.PERSONS.value, _l("Persons only")),
    ]
)
ELIGIBILITY_CHOICES = options(
    [
        (Eligibility.ANYONE.value, _l("Anyone who confirms an e-mail address")),
        (Eligibility.PARTICIPANTS.value, _l("Confirmed participants of the event only")),
    ]
)


class CountrySelect(widgets.Select):
    """WTForms' select, with the ~250 country options rendered once per language: they were
    half of the public declaration page's time. Only the chosen option is marked per request."""

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        options = _country_options(tuple(_pair(choice) for choice in field.choices))
        chosen = None if field.data is None else str(field.data)
        plain = f"<option {widgets.html_params(value=chosen)}>"
        if chosen is not None and plain in options:
            options = options.replace(
                plain, f"<option {widgets.html_params(selected=True, value=chosen)}>", 1
            )
        return Markup(
            f"<select {widgets.html_params(name=field.name, **kwargs)}>{options}</select>"
        )


def _pair(choice: object) -> tuple[str, str]:
    """A choice as (value, label): WTForms' SelectChoice, or a plain pair."""
    if isinstance(choice, tuple):
        return str(choice[0]), str(choice[1])
    return str(choice.value), str(choice.label)  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=16)
def _country_options(choices: tuple[tuple[str, str], ...]) -> str:
    return "".join(
        f"<option {widgets.html_params(value=value)}>{escape(label)}</option>"
        for value, label in choices
    )


DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DeclarationFormBase(Form):
    slug = StringField(
        _l("Short name (in the address)"), validators=[DataRequired(_l("Please enter one."))]
    )
    title = StringField(_l("Title"), validators=[DataRequired(_l("Please enter a title."))])
    text = TextAreaField(_l("Text"), validators=[DataRequired(_l("Please enter the text."))])
    opens_at = DateTimeLocalField(
        _l("Opens for signature"), format=DATETIME_FORMAT, validators=[DataRequired()]
    )
    closes_at = DateTimeLocalField(
        _l("Closes"), format=DATETIME_FORMAT, validators=[DataRequired()]
    )
    signer_kinds = RadioField(
        _l("Who may sign"), choices=SIGNER_CHOICES, default=SignerKinds.BOTH.value
    )
    eligibility = RadioField(
        _l("Signers must be"), choices=ELIGIBILITY_CHOICES, default=Eligibility.ANYONE.value
    )
    is_published = BooleanField(_l("Published (shown on the event page)"))

    translation_locales: list[str] = []

    def translations(self) -> dict[str, tuple[str, str]]:
        return {
            code: (
                getattr(self, f"title_{code}").data or "",
                getattr(self, f"text_{code}").data or "",
            )
            for code in self.translation_locales
        }

    def set_translations(self, declaration: Declaration) -> None:
        for code in self.translation_locales:
            getattr(self, f"title_{code}").data = (declaration.title_translations or {}).get(code)
            getattr(self, f"text_{code}").data = (declaration.text_translations or {}).get(code)


def declaration_form(locales: list[str], **kwargs) -> DeclarationFormBase:
    """The form with a title and a text field for each language besides the default one."""

    class DeclarationForm(DeclarationFormBase):
        pass

    for code in locales:
        setattr(
            DeclarationForm,
            f"title_{code}",
            StringField(_l("Title (%(code)s)", code=code.upper()), validators=[Optional()]),
        )
        setattr(
            DeclarationForm,
            f"text_{code}",
            TextAreaField(_l("Text (%(code)s)", code=code.upper()), validators=[Optional()]),
        )
    DeclarationForm.translation_locales = list(locales)
    return DeclarationForm(**kwargs)


class SignForm(Form):
    kind = RadioField(
        _l("I sign"),
        choices=options(
            [
                (SignatureKind.PERSON.value, _l("in my own name")),
                (SignatureKind.ORGANISATION.value, _l("on behalf of my organisation")),
            ]
        ),
        default=SignatureKind.PERSON.value,
    )
    display_name = StringField(_l("Your name, as you write it"))
    email = EmailField(_l("E-mail (we send you a link to confirm)"))
    organisation_name = StringField(_l("Organisation"))
    country = SelectField(_l("Country"), widget=CountrySelect())
    is_public = BooleanField(_l("Show my name (or my organisation) in the public list"))


def sign_form(declaration: Declaration, locale: str, **kwargs) -> SignForm:
    form = SignForm(**kwargs)
    form.country.choices = options([("", "—")], country_choices(locale))
    if declaration.signer_kinds != SignerKinds.BOTH:
        only = (
            SignatureKind.PERSON
            if declaration.signer_kinds == SignerKinds.PERSONS
            else SignatureKind.ORGANISATION
        )
        form.kind.choices = [c for c in form.kind.choices if c.value == only.value]
        form.kind.data = only.value
    return form
