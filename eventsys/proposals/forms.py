"""Forms: the call's settings, a proposal (fields per language and per question), a review,
a decision, a decision mail's template and a speaker's profile."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from eventsys.choices import options
from eventsys.proposals.models import Call, Proposal
from eventsys.validation import Form

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


FORMAT_LABELS = {
    "workshop": _l("Workshop"),
    "panel": _l("Panel"),
    "side_event": _l("Side event"),
    "poster": _l("Poster"),
}


def format_choices() -> list[Any]:
    return options(FORMAT_LABELS.items())


def decision_choices() -> list[Any]:
    return options(
        [("accept", _l("Accept")), ("reject", _l("Reject")), ("waitlist", _l("Waitlist"))]
    )


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CallForm(Form):
    intro = TextAreaField(_l("Introduction shown to submitters"), validators=[Optional()])
    deadline = DateTimeLocalField(
        _l("Deadline (in the event's time zone)"),
        format=DATETIME_FORMAT,
        validators=[DataRequired(_l("Please give the deadline."))],
    )
    formats = MultiCheckboxField(_l("Formats"), choices=format_choices())
    tracks = TextAreaField(_l("Tracks (one per line)"), validators=[Optional()])
    languages = StringField(
        _l("Languages (codes, separated by commas)"),
        default="en",
        validators=[DataRequired(_l("Please give at least one language."))],
    )
    questions = TextAreaField(_l("Questions to submitters (one per line)"), validators=[Optional()])
    criteria = TextAreaField(
        _l("Review criteria (one per line)"),
        default="Relevance\nQuality",
        validators=[DataRequired(_l("Please name at least one review criterion."))],
    )
    max_organisations = IntegerField(
        _l("Co-organising organisations per proposal, at most"),
        default=3,
        validators=[InputRequired(_l("Please give a number."))],
    )
    max_speakers = IntegerField(
        _l("Speakers per proposal, at most"),
        default=4,
        validators=[InputRequired(_l("Please give a number."))],
    )
    anonymous_review = BooleanField(_l("Anonymous review (reviewers do not see names)"))
    is_open = BooleanField(_l("Open for proposals"), default=True)


class ProposalFormBase(Form):
    format = SelectField(_l("Format"), choices=[])
    track = SelectField(_l("Track"), choices=[], validate_choice=False)
    session_language = SelectField(_l("Language of the session"), choices=[])
    organisation_name = StringField(_l("Your organisation"), validators=[Optional()])
    co_organiser_ids = SelectMultipleField(
        _l("Co-organising organisations"), choices=[], coerce=int, validate_choice=False
    )
    co_organisers_other = TextAreaField(
        _l("Other co-organising organisations (one per line)"), validators=[Optional()]
    )
    speakers = TextAreaField(_l("Speakers (one per line: name, e-mail)"), validators=[Optional()])

    languages: list[str] = []
    questions: list[str] = []

    def texts(self) -> dict[str, dict[str, str]]:
        return {
            code: {
                "title": getattr(self, f"title_{code}").data or "",
                "abstract": getattr(self, f"abstract_{code}").data or "",
            }
            for code in self.languages
        }

    def answers(self) -> dict[str, str]:
        return {q: getattr(self, f"answer_{i}").data or "" for i, q in enumerate(self.questions)}

    def speaker_list(self) -> list[dict[str, str]]:
        result = []
        for line in lines(self.speakers.data):
            name, _, email = line.rpartition(",")
            if not email.strip():
                name, email = "", line
            result.append({"name": name.strip(), "email": email.strip()})
        return result

    def co_organisers(self) -> list[dict[str, Any]]:
        picked: list[dict[str, Any]] = [
            {"organisation_id": i} for i in self.co_organiser_ids.data or []
        ]
        return picked + [{"name": n} for n in lines(self.co_organisers_other.data)]

    def fill_from(self, proposal: Proposal) -> None:
        for code in self.languages:
            text = (proposal.texts or {}).get(code) or {}
            getattr(self, f"title_{code}").data = text.get("title", "")
            getattr(self, f"abstract_{code}").data = text.get("abstract", "")
        for i, question in enumerate(self.questions):
            getattr(self, f"answer_{i}").data = (proposal.answers or {}).get(question, "")
        self.format.data, self.track.data = proposal.format, proposal.track
        self.session_language.data = proposal.session_language
        self.organisation_name.data = proposal.organisation_name
        self.co_organiser_ids.data = [
            c["organisation_id"] for c in proposal.co_organisers if c.get("organisation_id")
        ]
        self.co_organisers_other.data = "\n".join(
            c["name"] for c in proposal.co_organisers if not c.get("organisation_id")
        )
        self.speakers.data = "\n".join(
            f"{s.name}, {s.email}" if s.name else s.email for s in proposal.speakers
        )


def proposal_form(
    call: Call, organisations: list[tuple[int, str]], **kwargs: Any
) -> ProposalFormBase:
    """The form for this call: a title and an abstract per language, an answer per question."""

    class ProposalForm(ProposalFormBase):
        pass

    for code in call.languages:
        setattr(ProposalForm, f"title_{code}", StringField(_l("Title (%(code)s)", code=code)))
        setattr(
            ProposalForm, f"abstract_{code}", TextAreaField(_l("Abstract (%(code)s)", code=code))
        )
    for i, question in enumerate(call.questions):
        setattr(ProposalForm, f"answer_{i}", TextAreaField(question, validators=[Optional()]))
    ProposalForm.languages = list(call.languages)
    ProposalForm.questions = list(call.questions)
    form = ProposalForm(**kwargs)
    form.format.choices = options([(f, FORMAT_LABELS.get(f, f)) for f in call.formats])
    form.track.choices = options([(t, t) for t in call.tracks] or [("", "—")])
    form.session_language.choices = options([(code, code) for code in call.languages])
    form.co_organiser_ids.choices = options(organisations)
    return form


def review_form(call: Call, **kwargs: Any) -> Any:
    class ReviewForm(Form):
        comment = TextAreaField(_l("Comment"), validators=[Optional()])

    scores = options([(str(n), str(n)) for n in range(6)])
    for i, criterion in enumerate(call.criteria):
        setattr(
            ReviewForm,
            f"score_{i}",
            SelectField(criterion, choices=scores, validators=[DataRequired()]),
        )
    form = ReviewForm(**kwargs)
    form.criteria = list(call.criteria)
    return form


class DecisionForm(Form):
    decision = SelectField(_l("Decision"), choices=decision_choices())


class MailTemplateForm(Form):
    decision = SelectField(_l("Mail for"), choices=decision_choices())
    subject = StringField(_l("Subject"), validators=[DataRequired(_l("Please give a subject."))])
    body = TextAreaField(
        _l("Message ({title}, {name} and {event} are filled in)"),
        validators=[DataRequired(_l("Please write the message."))],
    )


class SpeakerForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Please give your name."))])
    organisation = StringField(_l("Organisation"), validators=[Optional()])
    bio = TextAreaField(_l("Short biography"), validators=[Optional()])
