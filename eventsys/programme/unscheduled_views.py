"""The editor's list of sessions without a room or time (accepted proposals), and scheduling
one: a room, a start and a length make it a timetable session."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, SelectField
from wtforms.validators import DataRequired, NumberRange

from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n import local_to_utc
from eventsys.programme import services, unscheduled
from eventsys.programme.forms import KIND_LABELS
from eventsys.programme.views import MANAGE, bp
from eventsys.validation import Form


class ScheduleForm(Form):
    room_id = SelectField(_l("Room"), coerce=int, validate_choice=False)
    starts_at = DateTimeLocalField(
        _l("Starts"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(_l("Please give a time."))]
    )
    minutes = IntegerField(
        _l("Length in minutes"),
        default=90,
        validators=[DataRequired(), NumberRange(min=5, max=600)],
    )


def _form(event: Event) -> ScheduleForm:
    form = ScheduleForm()
    form.room_id.choices = [(0, "—")] + [
        (r.id, r.name) for r in services.rooms_of(db.session, event)
    ]
    return form


def _render(event: Event, form: ScheduleForm, status: int = 200):
    return render_template(
        "programme/unscheduled.html",
        event=event,
        rows=unscheduled.unscheduled_of(db.session, event),
        form=form,
        kinds=KIND_LABELS,
    ), status


@bp.get(MANAGE + "/unscheduled")
@event_role_required("organiser")
def unscheduled_list(event: Event):
    return _render(event, _form(event))


@bp.post(MANAGE + "/unscheduled/<int:row_id>")
@event_role_required("organiser")
def schedule(event: Event, row_id: int):
    try:
        row = unscheduled.unscheduled_by_id(db.session, event, row_id)
    except ServiceError as exc:
        abort(404, exc.message)
    form = _form(event)
    if not form.validate():
        return _render(event, form, 422)
    start = local_to_utc(form.starts_at.data, event.timezone)
    try:
        unscheduled.schedule(
            db.session,
            event,
            row,
            room_id=form.room_id.data or None,
            starts_at=start,
            ends_at=start + timedelta(minutes=form.minutes.data or 90),
        )
    except ServiceError as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return _render(event, form, exc.status)
    db.session.commit()
    flash(_("The session is in the timetable."), "success")
    return redirect(url_for(".unscheduled_list", slug=event.slug))
