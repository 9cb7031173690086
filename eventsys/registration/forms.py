"""The registration form, built per event from its categories and questions."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from eventsys.choices import options
from eventsys.events.enums import QuestionKind
from eventsys.events.models import Event, Question
from eventsys.i18n import formatting_locale, pick_translation
from eventsys.i18n.content import localized_options
from eventsys.organisations.countries import country_choices
from eventsys.registration.answers import field_name
from eventsys.registration.enums import Visibility
from eventsys.validation import Form

VISIBILITY_CHOICES = options(
    [
        (Visibility.ORGANISERS.value, _l("Only the organisers")),
        (Visibility.PARTICIPANTS.value, _l("The other participants")),
        (Visibility.PUBLIC.value, _l("Everyone (public participant list)")),
    ]
)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RegistrationFormBase(Form):
    display_name = StringField(
        _l("Your name, as you write it"),
        validators=[DataRequired(_l("Please enter your name.")), Length(max=200)],
    )
    latin_name = StringField(
        _l("Your name in Latin letters, if it is written otherwise"),
        validators=[Optional(), Length(max=200)],
    )
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    organisation_name = StringField(_l("Organisation"), validators=[Optional(), Length(max=300)])
    country = SelectField(_l("Country"), validators=[Optional()])
    category_id = RadioField(
        _l("I take part as"),
        coerce=int,
        validators=[DataRequired(_l("Please choose a category."))],
    )
    visibility = RadioField(
        _l("Who may see that I take part"),
        choices=VISIBILITY_CHOICES,
        default=Visibility.ORGANISERS.value,
    )
    show_organisation = BooleanField(
        _l("Show my organisation in lists and on my badge"), default=True
    )
    show_country = BooleanField(_l("Show my country in lists and on my badge"), default=True)

    question_fields: list[tuple[Question, str]] = []

    def answers(self) -> dict[str, Any]:
        return {str(q.id): getattr(self, name).data for q, name in self.question_fields}

    def set_answers(self, answers: dict[str, Any]) -> None:
        for question, name in self.question_fields:
            if str(question.id) in answers:
                getattr(self, name).data = answers[str(question.id)]


class MarkRequired:
    """Marks a field required in the page (asterisk) and leaves the check to the service, whose
    message names the question."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Field) -> None:
        return None


def _question_field(question: Question, locale: str | None) -> Field:
    label = pick_translation(question.label, question.label_translations, locale)
    validators: list[Any] = [MarkRequired()] if question.required else []
    validators.append(Optional())
    # The answer stored is the default-language option; the reader sees theirs.
    choices = options(localized_options(question, locale))
    match question.kind:
        case QuestionKind.TEXT:
            return StringField(label, validators=[*validators, Length(max=500)])
        case QuestionKind.LONG_TEXT:
            return TextAreaField(label, validators=[*validators, Length(max=5000)])
        case QuestionKind.SINGLE_CHOICE:
            return SelectField(label, choices=options([("", "—")], choices), validators=validators)
        case QuestionKind.MULTIPLE_CHOICE:
            return MultiCheckboxField(label, choices=choices, validators=validators)
        case QuestionKind.YES_NO:
            return RadioField(
                label,
                choices=options([("yes", _l("Yes")), ("no", _l("No"))]),
                validators=validators,
            )
        case QuestionKind.COUNTRY:
            return SelectField(
                label,
                choices=options([("", "—")], country_choices(formatting_locale(locale))),
                validators=validators,
            )
    raise ValueError(f"unknown question kind {question.kind}")


def registration_form(
    event: Event, *, locale: str | None, organiser: bool = False, **kwargs: Any
) -> RegistrationFormBase:
    questions = [q for q in event.questions if q.is_active]
    attrs: dict[str, Any] = {"question_fields": [(q, field_name(q)) for q in questions]}
    for question in questions:
        attrs[field_name(question)] = _question_field(question, locale)
    form_class = type("RegistrationForm", (RegistrationFormBase,), attrs)
    form = form_class(**kwargs)
    form.category_id.choices = options(
        (c.id, c.localized_label(locale)) for c in event.categories if c.is_public or organiser
    )
    form.country.choices = options([("", "—")], country_choices(formatting_locale(locale)))
    return form


class CancelForm(Form):
    pass


class ActionForm(Form):
    """A bare organiser action (move off the waiting list, cancel, retry a mail); CSRF only."""

    next = HiddenField()


class DecisionForm(ActionForm):
    message = TextAreaField(
        "Message to the person (optional)",
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )


class CategoryForm(ActionForm):
    category_id = SelectField("Category", coerce=int)


def category_form(event: Event, locale: str | None, **kwargs: Any) -> CategoryForm:
    form = CategoryForm(**kwargs)
    form.category_id.choices = options((c.id, c.localized_label(locale)) for c in event.categories)
    return form
