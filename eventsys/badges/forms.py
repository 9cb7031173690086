"""Organisers choose the layout and start bulk prints."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from eventsys.badges.models import BadgeLayout, SortOrder
from eventsys.choices import options
from eventsys.events.models import Event
from eventsys.validation import Form

LAYOUT_CHOICES = options(
    [
        (BadgeLayout.A4_SHEET.value, _l("A4 sheets of four A6 badges, with cut marks")),
        (BadgeLayout.A6.value, _l("A6 portrait, one badge per page")),
        (BadgeLayout.CARD.value, _l("Card, 85 × 54 mm")),
    ]
)
SORT_CHOICES = options(
    [
        (SortOrder.SURNAME.value, _l("Surname")),
        (SortOrder.ORGANISATION.value, _l("Organisation")),
        (SortOrder.COUNTRY.value, _l("Country")),
    ]
)


class LayoutForm(Form):
    layout = RadioField(_l("Badge layout"), choices=LAYOUT_CHOICES, validators=[DataRequired()])


class PrintForm(Form):
    category = SelectField(_l("Category"), validators=[Optional()])
    since_last_print = BooleanField(_l("Only people confirmed since the last print"))
    person = StringField(
        _l("One person (e-mail or full name)"), validators=[Optional(), Length(max=254)]
    )
    sort = SelectField(_l("Sort by"), choices=SORT_CHOICES, default=SortOrder.SURNAME.value)

    @classmethod
    def for_event(cls, event: Event, **kwargs) -> PrintForm:
        form = cls(**kwargs)
        form.category.choices = options(
            [("", _l("All categories"))], [(c.code, c.label) for c in event.categories]
        )
        return form
