"""The own data page (download, delete the account) and an event's participant list."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required, has_event_role, load_event
from eventsys.extensions import db
from eventsys.privacy import audience as rules
from eventsys.privacy import services
from eventsys.privacy.forms import DeleteAccountForm, ParticipantListForm
from eventsys.web.access import login_required, public

bp = Blueprint("privacy", __name__)


@bp.get("/account/data")
@login_required
def data():
    return render_template("privacy/data.html", form=DeleteAccountForm())


@bp.get("/account/data/export.json")
@login_required
def export():
    stamp = utcnow().strftime("%Y%m%d")
    return Response(
        services.export_json(db.session, current_user),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="eventsys-my-data-{stamp}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/account/delete")
@login_required
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(db.session, current_user, form.password.data)
        except ServiceError as exc:
            db.session.rollback()
            getattr(form, exc.field or "password").errors.append(exc.message)
        else:
            db.session.commit()
            logout_user()
            flash(_("Your account is deleted and your personal data erased."), "success")
            return redirect(url_for("web.home"))
    return render_template("privacy/data.html", form=form), 422


@bp.get("/events/<slug>/participants")
@public
def participants(slug: str):
    event = load_event(slug)
    organiser = has_event_role(current_user, event, ("organiser",))
    if not organiser and not (event.is_published and event.participant_list_enabled):
        abort(404, _("This event has no public participant list."))
    audience = rules.audience_of(
        is_organiser=organiser,
        is_participant=services.is_participant(db.session, event, current_user),
    )
    return render_template(
        "privacy/participants.html",
        event=event,
        entries=services.participant_list(db.session, event, audience),
        audience=audience,
        form=ParticipantListForm(enabled=event.participant_list_enabled) if organiser else None,
    )


@bp.post("/events/<slug>/participants/settings")
@event_role_required("organiser")
def participant_settings(event):
    form = ParticipantListForm()
    if not form.validate_on_submit():
        abort(400, _("The form expired; please try again."))
    services.set_participant_list(db.session, event, form.enabled.data)
    db.session.commit()
    flash(
        _("The participant list is now shown on the event page.")
        if event.participant_list_enabled
        else _("The participant list is hidden."),
        "success",
    )
    return redirect(url_for(".participants", slug=event.slug))


def participant_list_shown(event) -> bool:
    return bool(event.is_published and event.participant_list_enabled)
