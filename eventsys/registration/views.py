"""Participants register, see, change and cancel their registration."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.events.access import load_event
from eventsys.events.models import Event
from eventsys.extensions import db, limiter
from eventsys.registration import guests, services
from eventsys.registration.availability import availability
from eventsys.registration.forms import CancelForm, registration_form
from eventsys.registration.models import Registration
from eventsys.web.access import login_required, public, token
from eventsys.web.forms import show_service_error

bp = Blueprint("registration", __name__)


def _locale() -> str:
    return str(get_locale() or "en")


def _data_from(form) -> services.RegistrationData:
    return services.RegistrationData(
        email=form.email.data,
        display_name=form.display_name.data,
        latin_name=form.latin_name.data,
        organisation_name=form.organisation_name.data or "",
        country=form.country.data or None,
        category_id=form.category_id.data,
        answers=form.answers(),
        visibility=form.visibility.data,
        show_organisation=form.show_organisation.data,
        show_country=form.show_country.data,
        locale=_locale(),
    )


def _apply_error(form, exc: ServiceError) -> None:
    show_service_error(form, exc)


def _guest_limit() -> str:
    return current_app.config["GUEST_REGISTRATION_RATE_LIMIT"]


def _not_a_guest() -> bool:
    return current_user.is_authenticated


def _registered(response) -> bool:
    # Only registrations made count against the limit, not forms sent back with errors.
    return response.status_code == 302


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@public
@limiter.limit(_guest_limit, methods=["POST"], exempt_when=_not_a_guest, deduct_when=_registered)
def register(slug: str):
    event = load_event(slug)
    if not event.is_published:
        abort(404, _("There is no event at this address."))
    if current_user.is_authenticated:
        own = services.registration_of(db.session, event, current_user)
        if own is not None and own.status.value in ("pending", "confirmed", "waitlisted"):
            return redirect(url_for("registration.mine", slug=slug))
    form = registration_form(event, locale=_locale())
    if current_user.is_authenticated and not form.is_submitted():
        form.display_name.data = current_user.display_name
        form.latin_name.data = current_user.latin_name
        form.email.data = current_user.email
    window = services.registration_window_state(event, utcnow())
    if form.validate_on_submit():
        user = current_user if current_user.is_authenticated else None
        if user is not None and form.email.data.strip().lower() != user.email:
            user = None  # registering someone else's address: that person confirms it
        if guests.release_due_for_event(db.session, event):
            db.session.commit()  # overdue guest holds free their places before counting
        try:
            registration, secret = services.register(db.session, event, _data_from(form), user=user)
        except ServiceError as exc:
            db.session.rollback()
            _apply_error(form, exc)
        else:
            # The answer is built from what is in memory before the commit: once committed, the
            # registration stands, and re-reading it (a database that drops just then) must not
            # turn that success into an error page.
            outcome = _outcome_message(registration)
            db.session.commit()
            flash(outcome, "success")
            if user is not None:
                return redirect(url_for("registration.mine", slug=slug))
            # A guest reaches their page only through the e-mailed link: opening it is what
            # confirms the address, so the form must not lead there itself.
            return redirect(url_for("registration.check_inbox", slug=slug))
    elif form.is_submitted():
        _add_service_errors(form, event)
    return render_template("registration/register.html", event=event, form=form, window=window)


def _add_service_errors(form, event, *, organiser: bool = False) -> None:
    """The form's own checks failed: show what the service would refuse as well (a required
    question unanswered), so every error comes on one submit, not one per submit."""
    errors = services.validation_errors(event, _data_from(form), organiser=organiser)
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors") and not field.errors:
            field.errors = [*field.errors, message]


@bp.get("/events/<slug>/register/sent")
@public
def check_inbox(slug: str):
    event = load_event(slug)
    return render_template("registration/check_inbox.html", event=event)


def _outcome_message(registration: Registration) -> str:
    return {
        "confirmed": _("You are registered. A confirmation is on its way to your inbox."),
        "pending": _("Thank you. The organisers will review your registration and write to you."),
        "waitlisted": _(
            "The event is full: you are number %(n)s on the waiting list. "
            "We will write to you when a place frees up.",
            n=services.waitlist_position(db.session, registration),
        ),
    }.get(registration.status.value, _("Saved."))


def _show(registration: Registration, *, secret: str | None):
    event = registration.event
    form = registration_form(event, locale=_locale(), obj=registration)
    if not form.is_submitted():
        form.set_answers(registration.answers)
    return form


def _manage(registration: Registration, secret: str | None, self_url: str):
    form = _show(registration, secret=secret)
    cancel_form = CancelForm(prefix="cancel")
    if form.validate_on_submit():
        try:
            services.update_details(db.session, registration, _data_from(form))
        except ServiceError as exc:
            db.session.rollback()
            _apply_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your changes are saved."), "success")
            return redirect(self_url)
    elif form.is_submitted():
        _add_service_errors(form, registration.event)
    return render_template(
        "registration/manage.html",
        registration=registration,
        event=registration.event,
        form=form,
        cancel_form=cancel_form,
        cancel_url=url_for("registration.cancel_by_token", token=secret)
        if secret
        else url_for("registration.cancel_mine", slug=registration.event.slug),
        position=services.waitlist_position(db.session, registration),
        guest=secret is not None,
    )


@bp.route("/events/<slug>/registration", methods=["GET", "POST"])
@login_required
def mine(slug: str):
    event = load_event(slug)
    registration = services.registration_of(db.session, event, current_user)
    if registration is None:
        return redirect(url_for("registration.register", slug=slug))
    return _manage(registration, None, url_for("registration.mine", slug=slug))


@bp.post("/events/<slug>/registration/cancel")
@login_required
def cancel_mine(slug: str):
    event = load_event(slug)
    registration = services.registration_of(db.session, event, current_user)
    if registration is None:
        abort(404, _("You have no registration for this event."))
    return _cancel(registration, url_for("registration.mine", slug=slug))


def _registration_for(secret: str) -> Registration:
    registration = services.registration_for_token(db.session, secret)
    if registration is None:
        abort(404, _("This registration link is not valid. Check the link in your e-mail."))
    return registration


@bp.route("/registrations/<token>", methods=["GET", "POST"])
@token
def by_token(token: str):
    registration = _registration_for(token)
    if registration.email_confirmed_at is None:
        # Opening the link from the mail proves the address works.
        registration.email_confirmed_at = utcnow()
        db.session.commit()
    return _manage(registration, token, url_for("registration.by_token", token=token))


@bp.post("/registrations/<token>/cancel")
@token
def cancel_by_token(token: str):
    registration = _registration_for(token)
    return _cancel(registration, url_for("registration.by_token", token=token))


def _cancel(registration: Registration, back: str):
    if not CancelForm(prefix="cancel").validate_on_submit():
        abort(400, _("The form expired; please try again."))
    try:
        services.cancel(db.session, registration)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Your registration is cancelled."), "info")
    return redirect(back)


# --- template helpers (registered by init_app) ---------------------------------------------


def registration_availability(event: object) -> object:
    """For the event page (a lower layer): places left and who waits, see availability.py."""
    return availability(db.session, event)  # type: ignore[arg-type]


def my_registrations(user: object) -> list:
    """For the account page (a lower layer): the account's registrations, newest event first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.execute(
            select(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.user_id == user.id)  # type: ignore[attr-defined]
            .order_by(Event.starts_at.desc(), Registration.id.desc())
        ).scalars()
    )
