"""Organiser pages: every registration of an event, decisions, exports, failed mails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n import localized
from eventsys.mail import services as mail_services
from eventsys.mail.models import MailStatus, OutboundMail
from eventsys.registration import exports, listing, services
from eventsys.registration.forms import (
    ActionForm,
    DecisionForm,
    category_form,
    registration_form,
)
from eventsys.registration.models import Registration
from eventsys.registration.views import _apply_error, _data_from
from eventsys.validation import arg_int
from eventsys.web.forms import run_service
from eventsys.web.urls import same_site_path

bp = Blueprint("registration_manage", __name__, url_prefix="/events/<slug>/manage")

organiser = event_role_required("organiser")


def _locale() -> str:
    return str(get_locale() or "en")


def _registration(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404, _("There is no such registration at this event."))
    return registration


def _back(event: Event, form: ActionForm, registration: Registration | None = None) -> str:
    """Where an action returns: the list (with its filter) or the detail page it came from."""
    prefix = url_for("registration_manage.registrations", slug=event.slug)
    target = same_site_path(form.next.data, "", prefix=prefix)
    if target:
        return target
    if registration is not None:
        return url_for(
            "registration_manage.detail", slug=event.slug, registration_id=registration.id
        )
    return prefix


@bp.get("/registrations")
@organiser
def registrations(event: Event):
    filt = listing.RegistrationFilter.from_args(request.args)
    page = listing.page_of_registrations(
        db.session, event, filt, page=arg_int("page", 1, minimum=1)
    )
    return render_template(
        "registration/manage_list.html",
        event=event,
        filt=filt,
        page=page,
        counts=listing.counts(db.session, event),
        countries=listing.countries_in_use(db.session, event),
        failed_mails=mail_services.failed_count(db.session, event.id),
        decision_form=DecisionForm(),
        action_form=ActionForm(),
        here=request.full_path.rstrip("?"),
    )


def _export(event: Event, render: Callable[..., bytes], content_type: str, extension: str):
    filt = listing.RegistrationFilter.from_args(request.args)
    body = render(event, listing.all_matching(db.session, event, filt))
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{event.slug}-registrations.{extension}"'
    )
    response.headers["Cache-Control"] = "no-store"  # personal data: not in shared caches
    return response


@bp.get("/registrations.csv")
@organiser
def export_csv(event: Event):
    return _export(event, exports.to_csv, exports.CSV_CONTENT_TYPE, "csv")


@bp.get("/registrations.xlsx")
@organiser
def export_xlsx(event: Event):
    return _export(event, exports.to_xlsx, exports.XLSX_CONTENT_TYPE, "xlsx")


@bp.route("/registrations/new", methods=["GET", "POST"])
@organiser
def new_registration(event: Event):
    """An organiser registers someone: any category (staff, press too), window or not."""
    form = registration_form(event, locale=_locale(), organiser=True)
    if form.validate_on_submit():
        try:
            registration, _secret = services.register(
                db.session, event, _data_from(form), organiser=True
            )
        except ServiceError as exc:
            db.session.rollback()
            _apply_error(form, exc)
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s is registered (%(status)s).",
                    name=registration.display_name,
                    status=registration.status.value,
                ),
                "success",
            )
            return redirect(
                url_for(
                    "registration_manage.detail", slug=event.slug, registration_id=registration.id
                )
            )
    return render_template("registration/manage_new.html", event=event, form=form)


def _answers(event: Event, registration: Registration) -> list[tuple[str, str]]:
    answers = registration.answers or {}
    return [
        (localized(q, "label"), exports.answer_text(q, answers.get(str(q.id))))
        for q in event.questions
        if str(q.id) in answers or q.is_active
    ]


@bp.get("/registrations/<int:registration_id>")
@organiser
def detail(event: Event, registration_id: int):
    registration = _registration(event, registration_id)
    return render_template(
        "registration/manage_detail.html",
        event=event,
        registration=registration,
        answers=_answers(event, registration),
        position=services.waitlist_position(db.session, registration),
        decision_form=DecisionForm(),
        action_form=ActionForm(),
        category_form=category_form(event, _locale(), category_id=registration.category_id),
        mails=_mails_to(event, registration),
    )


def _mails_to(event: Event, registration: Registration) -> list[OutboundMail]:
    return list(
        db.session.execute(
            select(OutboundMail)
            .where(OutboundMail.event_id == event.id, OutboundMail.to_address == registration.email)
            .order_by(OutboundMail.id.desc())
            .limit(20)
        ).scalars()
    )


def _act(
    event: Event,
    registration_id: int,
    form: ActionForm,
    action: Callable[[Registration], Any],
    done: str,
):
    registration = _registration(event, registration_id)
    if not form.validate_on_submit():
        flash(_("The form expired or was not valid; please try again."), "error")
        return redirect(_back(event, form, registration))
    if run_service(lambda: action(registration), otherwise="flash") is not None:
        flash(done % {"name": registration.display_name}, "success")
    return redirect(_back(event, form, registration))


@bp.post("/registrations/<int:registration_id>/approve")
@organiser
def approve(event: Event, registration_id: int):
    form = DecisionForm()
    return _act(
        event,
        registration_id,
        form,
        lambda r: services.approve(db.session, r, form.message.data or ""),
        _("%(name)s is approved and told by e-mail."),
    )


@bp.post("/registrations/<int:registration_id>/reject")
@organiser
def reject(event: Event, registration_id: int):
    form = DecisionForm()
    return _act(
        event,
        registration_id,
        form,
        lambda r: services.reject(db.session, r, form.message.data or ""),
        _("%(name)s is rejected and told by e-mail."),
    )


@bp.post("/registrations/<int:registration_id>/move-off-waitlist")
@organiser
def move_off_waitlist(event: Event, registration_id: int):
    return _act(
        event,
        registration_id,
        ActionForm(),
        lambda r: services.move_off_waitlist(db.session, r),
        _("%(name)s has a place now and is told by e-mail."),
    )


@bp.post("/registrations/<int:registration_id>/cancel")
@organiser
def cancel(event: Event, registration_id: int):
    return _act(
        event,
        registration_id,
        ActionForm(),
        lambda r: services.cancel(db.session, r),
        _("The registration of %(name)s is cancelled."),
    )


@bp.post("/registrations/<int:registration_id>/category")
@organiser
def change_category(event: Event, registration_id: int):
    form = category_form(event, _locale())
    return _act(
        event,
        registration_id,
        form,
        lambda r: services.change_category(db.session, r, form.category_id.data),
        _("%(name)s is now in the new category."),
    )


@bp.get("/mails")
@organiser
def failed_mails(event: Event):
    return render_template(
        "registration/manage_mails.html",
        event=event,
        mails=mail_services.failed_mails(db.session, event.id),
        action_form=ActionForm(),
    )


@bp.post("/mails/<int:mail_id>/retry")
@organiser
def retry_mail(event: Event, mail_id: int):
    mail = db.session.get(OutboundMail, mail_id)
    if mail is None or mail.event_id != event.id:
        abort(404, _("There is no such mail at this event."))
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    if mail.status != MailStatus.FAILED:
        flash(_("This mail is not among the failed ones any more."), "info")
    else:
        mail_services.requeue(db.session, mail)
        db.session.commit()
        flash(_("The mail to %(to)s is queued again.", to=mail.to_address), "success")
    return redirect(url_for("registration_manage.failed_mails", slug=event.slug))
