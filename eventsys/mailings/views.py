"""Mailing pages: the organisers' list, form, preview, sending and record; the opt-out page."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required
from eventsys.extensions import db
from eventsys.i18n import language_name
from eventsys.mailings import filters, jobs, optout, services
from eventsys.mailings.forms import MailingFormBase, mailing_form
from eventsys.mailings.models import Mailing, MailingKind, MailingStatus
from eventsys.validation import ActionForm, arg_int
from eventsys.web.access import token
from eventsys.web.forms import run_service

bp = Blueprint("mailings", __name__)
PER_PAGE = 100
PREVIEW_CHOICES = 200  # people offered in the preview's list (any recipient can be asked for)


def _locale() -> str:
    return str(get_locale() or "en")


def _form(event, **kwargs) -> MailingFormBase:
    return mailing_form(event, filters.filter_options(db.session, event), _locale(), **kwargs)


def count_text(count: int) -> str:
    return ngettext(
        "%(num)d person receives this mailing.", "%(num)d people receive this mailing.", count
    )


def _mailing(event, mailing_id: int) -> Mailing:
    try:
        return services.mailing_of(db.session, event, mailing_id)
    except ServiceError as exc:
        abort(404, exc.message)


@bp.get("/events/<slug>/manage/mailings")
@event_role_required("organiser")
def manage(event):
    return render_template(
        "mailings/manage.html", event=event, mailings=services.mailings_of(db.session, event)
    )


def _data(form: MailingFormBase) -> services.MailingData:
    return services.MailingData(
        kind=form.kind.data or "",
        subject=form.subject.data or "",
        body=form.body.data or "",
        filters=form.filters(),
        translations=form.translations(),
    )


def _save(event, mailing: Mailing | None, form: MailingFormBase) -> Mailing:
    if mailing is None:
        return services.create_mailing(db.session, event, _data(form), user_id=current_user.id)
    services.update_mailing(db.session, mailing, _data(form))
    return mailing


def _edit(event, mailing: Mailing | None):
    form = _form(event, obj=mailing)
    if mailing is not None and not form.is_submitted():
        form.set_filters(services.filters_of(mailing))
        form.set_translations(mailing.subject_translations or {}, mailing.body_translations or {})
    counting = request.form.get("action") == "count"
    if form.validate_on_submit() and not counting:
        saved = run_service(
            lambda: _save(event, mailing, form),
            _("The mailing is saved as a draft. Preview it, then send it."),
            form=form,
        )
        if isinstance(saved, Mailing):
            return redirect(url_for(".show", slug=event.slug, mailing_id=saved.id))
    kind = MailingKind.NEWS if form.kind.data == "news" else MailingKind.REGISTRATION
    count = filters.recipient_count(db.session, event, form.filters(), kind)
    failed = bool(form.errors or form.form_errors)
    return render_template(
        "mailings/edit.html",
        event=event,
        form=form,
        mailing=mailing,
        count_text=count_text(count),
        default_language=language_name(event.default_locale),
        manage_active="mailings.manage",
    ), (422 if failed else 200)


@bp.get("/events/<slug>/manage/mailings/count")
@event_role_required("organiser")
def count(event):
    """The form's live count: how many the filters in the query reach (JSON)."""
    form = _form(event, formdata=request.args, meta={"csrf": False})
    kind = MailingKind.NEWS if request.args.get("kind") == "news" else MailingKind.REGISTRATION
    number = filters.recipient_count(db.session, event, form.filters(), kind)
    return jsonify(count=number, text=count_text(number))


@bp.route("/events/<slug>/manage/mailings/new", methods=["GET", "POST"])
@event_role_required("organiser")
def new(event):
    return _edit(event, None)


@bp.route("/events/<slug>/manage/mailings/<int:mailing_id>/edit", methods=["GET", "POST"])
@event_role_required("organiser")
def edit(event, mailing_id: int):
    mailing = _mailing(event, mailing_id)
    if mailing.status != MailingStatus.DRAFT:
        flash(_("This mailing is sent; it cannot be changed any more."), "error")
        return redirect(url_for(".show", slug=event.slug, mailing_id=mailing.id))
    return _edit(event, mailing)


def _preview_context(mailing: Mailing) -> dict:
    """The live count, the people to choose from for the preview, and the chosen one's mail."""
    people = services.preview_choices(db.session, mailing, PREVIEW_CHOICES)
    chosen_id = arg_int("recipient")
    chosen = services.recipient_of(db.session, mailing, chosen_id) if chosen_id else None
    if chosen_id is not None and chosen is None:
        flash(_("This person is not among the recipients; showing the first one."), "error")
    chosen = chosen or (people[0] if people else None)
    if chosen is not None and chosen not in people:
        people = [chosen, *people]
    return {
        "people": people,
        "chosen": chosen,
        "preview": services.render_for(mailing, chosen) if chosen else None,
        "count_text": count_text(services.count_recipients(db.session, mailing)),
    }


@bp.get("/events/<slug>/manage/mailings/<int:mailing_id>")
@event_role_required("organiser")
def show(event, mailing_id: int):
    mailing = _mailing(event, mailing_id)
    draft = mailing.status == MailingStatus.DRAFT
    page = arg_int("page", 1, minimum=1)
    context: dict = {}
    if draft:
        context = _preview_context(mailing)
    else:
        rows, total = services.recipient_rows(db.session, mailing, page, PER_PAGE)
        context = {
            "progress": services.progress(db.session, mailing),
            "rows": rows,
            "rows_total": total,
            "page": page,
            "pages": max((total + PER_PAGE - 1) // PER_PAGE, 1),
        }
    return render_template(
        "mailings/show.html",
        event=event,
        mailing=mailing,
        action_form=ActionForm(),
        languages=services.content.languages_written(mailing),
        manage_active="mailings.manage",
        busy=mailing.status in (MailingStatus.QUEUED, MailingStatus.SENDING) and not mailing.error,
        **context,
    )


@bp.post("/events/<slug>/manage/mailings/<int:mailing_id>/send")
@event_role_required("organiser")
def send(event, mailing_id: int):
    mailing = _mailing(event, mailing_id)
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    total = run_service(
        lambda: (
            services.resume_sending(db.session, mailing)
            if services.can_resume(mailing)
            else services.start_sending(db.session, mailing, current_user.id)
        )
    )
    if total is None:
        return redirect(url_for(".show", slug=event.slug, mailing_id=mailing.id))
    try:
        jobs.send_mailing(mailing.id)  # after commit: the worker must see the mailing
    except Exception:  # noqa: BLE001 (any queue backend's error: Redis, SQLite)
        mailing.error = _("The task queue could not be reached. Try again in a moment.")
        db.session.commit()
        flash(mailing.error, "error")
        return redirect(url_for(".show", slug=event.slug, mailing_id=mailing.id))
    flash(
        ngettext(
            "Sending to %(num)d person: the progress shows below.",
            "Sending to %(num)d people: the progress shows below.",
            total,
        ),
        "success",
    )
    return redirect(url_for(".show", slug=event.slug, mailing_id=mailing.id))


# --- the opt-out link of news mails (no login) ------------------------------------------------


def _opt_out_subject(token_text: str) -> tuple[str, str]:
    try:
        return optout.subject_of(db.session, token_text, current_app.config["SECRET_KEY"])
    except ServiceError as exc:
        abort(404, exc.message)


@bp.route("/mailings/opt-out/<token>", methods=["GET", "POST"])
@token
def opt_out(token: str):
    """A page with a button (mail scanners follow links; they do not press buttons)."""
    scope, email = _opt_out_subject(token)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400, _("The form expired; please try again."))
        action = request.form.get("action")
        if action == "out":
            optout.opt_out(db.session, scope, email)
            message = _("Done: you receive no more news mails from these organisers.")
        elif action == "in":
            optout.opt_back_in(db.session, scope, email)
            message = _("Done: you receive their news mails again.")
        else:
            abort(400, _("Unknown action."))
        db.session.commit()
        flash(message, "success")
        return redirect(url_for(".opt_out", token=token))
    return render_template(
        "mailings/opt_out.html",
        form=form,
        email=email,
        opted_out=optout.is_opted_out(db.session, scope, email),
    )
