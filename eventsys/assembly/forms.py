"""Forms of the General Assembly pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from eventsys.choices import options
from eventsys.organisations.countries import country_choices
from eventsys.organisations.labels import ORGANISATION_KIND_LABELS
from eventsys.validation import Form

MAJORITY_CHOICES = options(
    [
        ("simple", _l("Simple majority (more yes than no)")),
        ("absolute", _l("Absolute majority (more than half)")),
        ("two_thirds", _l("Two-thirds")),
        ("three_quarters", _l("Three-quarters")),
    ]
)
BASE_CHOICES = options(
    [
        ("cast", _l("of votes cast (yes + no)")),
        ("valid", _l("of valid votes (yes + no + abstain)")),
        ("present", _l("of voting rights present")),
        ("entitled", _l("of all voting rights")),
    ]
)
TIE_CHOICES = options([("rejected", _l("A tie rejects")), ("adopted", _l("A tie adopts"))])
MOTION_KIND_CHOICES = options(
    [
        ("resolution", _l("Adopt a resolution")),
        ("election", _l("Elect (board, candidates)")),
        ("admission", _l("Admit a member")),
    ]
)
DOCUMENT_KIND_CHOICES = options(
    [
        ("resolution", _l("Council resolution")),
        ("statutes", _l("Statutes")),
        ("letter", _l("Letter")),
        ("other", _l("Other")),
    ]
)


class SetupForm(Form):
    held_on = DateField(_l("Date of the Assembly"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])


class SettingsForm(Form):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    max_proxies = IntegerField(
        _l("Proxies a delegate may hold"), validators=[DataRequired(), NumberRange(min=0, max=50)]
    )
    quorum_percent = IntegerField(
        _l("Quorum (% of voting rights present)"), validators=[NumberRange(min=0, max=100)]
    )
    tie_rule = SelectField(_l("Tie rule of the statutes"), choices=TIE_CHOICES)


class ApplicationForm(Form):
    organisation_name = StringField(
        _l("Organisation applying"), validators=[DataRequired(), Length(max=300)]
    )
    organisation_kind = SelectField(
        _l("Kind of organisation"),
        choices=options((k.value, text) for k, text in ORGANISATION_KIND_LABELS.items()),
        default="municipality",
    )
    country = SelectField(_l("Country"), validators=[Optional()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=200)])
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=200)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[DataRequired(), Email()])
    statement = TextAreaField(_l("Why your organisation wants to join"), validators=[Optional()])
    resolution = FileField(_l("Council resolution committing to the climate targets (PDF)"))
    statutes = FileField(_l("Statutes or founding act (PDF, optional)"))
    letter = FileField(_l("Letter of intent (PDF, optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = options([("", "—")], country_choices())


class ReviewForm(Form):
    complete = SelectField(
        _l("Board's finding"),
        choices=options([("1", _l("Complete")), ("0", _l("Incomplete"))]),
    )
    comment = TextAreaField(_l("Comment to the applicant and the Assembly"))


class DocumentForm(Form):
    kind = SelectField(_l("Document"), choices=DOCUMENT_KIND_CHOICES)
    file = FileField(_l("PDF file"))


class MotionForm(Form):
    kind = SelectField(_l("Kind"), choices=MOTION_KIND_CHOICES, default="resolution")
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    text = TextAreaField(_l("Text of the motion"))


class PollForm(Form):
    secret = SelectField(
        _l("Secrecy"),
        choices=options(
            [("1", _l("Secret ballot")), ("0", _l("Named vote (who voted what is published)"))]
        ),
    )
    majority = SelectField(_l("Majority"), choices=MAJORITY_CHOICES)
    base = SelectField(_l("Base"), choices=BASE_CHOICES)
    double_majority = BooleanField(_l("Double majority: of members and of weight"))
    quorum_percent = IntegerField(_l("Quorum (%)"), validators=[NumberRange(min=0, max=100)])
    tie_rule = SelectField(_l("Tie"), choices=TIE_CHOICES)
    candidates = TextAreaField(_l("Candidates, one a line (elections)"))
    max_choices = IntegerField(
        _l("Votes per ballot (elections)"), default=1, validators=[NumberRange(min=1, max=100)]
    )
    seats = IntegerField(
        _l("Seats (elections)"), default=1, validators=[NumberRange(min=1, max=100)]
    )


class AnnulForm(Form):
    reason = StringField(_l("Why is the poll annulled?"), validators=[DataRequired()])


class RightForm(Form):
    """One row of the chair's desk: the delegate named by e-mail, the proxy by member name
    (looked up as one types), so no row carries a menu of every registration."""

    delegate = StringField(_l("Delegate's e-mail"), validators=[Optional(), Length(max=254)])
    holder = StringField(_l("Proxy to the delegate of"), validators=[Optional(), Length(max=300)])
    weight = IntegerField(_l("Weight"), validators=[NumberRange(min=1, max=1000)])
