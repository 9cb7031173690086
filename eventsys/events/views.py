"""Public event pages, the organisers' pages of one event, and the administrators' event list."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventsys.db import utcnow
from eventsys.errors import NotFound, ServiceError
from eventsys.events import services
from eventsys.events.access import event_role_required, has_event_role, load_event
from eventsys.events.enums import RoleName
from eventsys.events.forms import (
    QUESTION_KIND_CHOICES,
    CategoryForm,
    EventEditForm,
    EventForm,
    QuestionForm,
    RoleForm,
)
from eventsys.events.localtime import strict_local_to_utc, utc_to_wall
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n import is_valid_timezone, supported_locales
from eventsys.i18n.content import form_translations, translation_languages
from eventsys.registration import statistics
from eventsys.registration.services import registration_of, registration_window_state
from eventsys.validation import ActionForm
from eventsys.web.access import admin_required, public
from eventsys.web.forms import run_service, save_or_show, show_service_error

bp = Blueprint("events", __name__, url_prefix="/events")
admin_bp = Blueprint("events_admin", __name__, url_prefix="/admin/events")

organiser_required = event_role_required(RoleName.ORGANISER.value)


@bp.get("/<slug>/")
@public
def show(slug: str) -> str:
    event = load_event(slug)
    is_organiser = has_event_role(current_user, event, ("organiser",))
    if not event.is_published and not is_organiser:
        abort(404, _("There is no event at this address."))
    own = (
        registration_of(db.session, event, current_user) if current_user.is_authenticated else None
    )
    return render_template(
        "events/show.html",
        event=event,
        is_organiser=is_organiser,
        own_registration=own,
        window=registration_window_state(event, utcnow()),
    )


def my_events(user: Any) -> list[tuple[Event, list[str]]]:
    """For templates: the events the user organises or staffs (shown on their account page)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return services.events_with_roles(db.session, user)


# Helpers ---------------------------------------------------------------------------------------


def _apply_error(form: Any, exc: ServiceError) -> None:
    db.session.rollback()
    show_service_error(form, exc)


def _require_action_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))


TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


def versions_beside(field: Any, event: Event | None = None) -> dict[str, str] | None:
    """The other languages' inputs beside a field (templates/i18n/_versions.html): those of the
    event's languages, or, while it is created, of every language the site offers."""
    languages = translation_languages(event) if event else supported_locales()
    return form_translations(request.form, field.name, languages)


def _event_values(form: EventForm, event: Event | None = None) -> dict[str, Any]:
    """What the form says, with local wall-clock times turned into UTC instants."""
    zone = form.timezone.data
    values: dict[str, Any] = {
        "title": form.title.data or "",
        "description": form.description.data or "",
        "kind": form.kind.data,
        "timezone": zone,
        "venue_name": (form.venue_name.data or "").strip(),
        "venue_address": (form.venue_address.data or "").strip(),
        "city": (form.city.data or "").strip(),
        "country": form.country.data or None,
        "default_locale": (form.default_locale.data or "en").strip(),
        "languages": form.languages.data or "",
        "series_id": form.series_id.data,
        "parent_id": form.parent_id.data,
        "host_organisation_id": form.host_organisation_id.data,
        "capacity": form.capacity.data,
        "requires_approval": bool(form.requires_approval.data),
        "participant_list_enabled": bool(form.participant_list_enabled.data),
        "title_translations": versions_beside(form.title, event),
        "description_translations": versions_beside(form.description, event),
    }
    if not is_valid_timezone(zone):  # the times below are read in this zone
        raise ServiceError(_("Please choose the time zone of the venue."), field="timezone")
    for name in TIME_FIELDS:
        typed = getattr(form, name).data
        values[name] = strict_local_to_utc(typed, zone, field=name) if typed else None
    if (form.new_series.data or "").strip():
        values["series_id"] = services.add_series(db.session, form.new_series.data).id
    return values


def _fill_event_form(form: EventForm, event: Event) -> None:
    for name in (
        "title",
        "description",
        "timezone",
        "venue_name",
        "venue_address",
        "city",
        "country",
        "default_locale",
        "series_id",
        "parent_id",
        "host_organisation_id",
        "capacity",
        "requires_approval",
        "participant_list_enabled",
    ):
        getattr(form, name).data = getattr(event, name)
    form.kind.data = event.kind.value
    form.languages.data = ", ".join(event.languages or [])
    for name in TIME_FIELDS:
        getattr(form, name).data = utc_to_wall(getattr(event, name), event.timezone)


# Administrators ----------------------------------------------------------------------------------


@admin_bp.get("/")
@admin_required
def index() -> str:
    return render_template(
        "events/admin_list.html",
        events=services.all_events(db.session),
        confirmed=statistics.confirmed_counts(db.session),
        now=utcnow(),
    )


@admin_bp.route("/new", methods=["GET", "POST"])
@admin_required
def create():
    form = EventForm()
    form.fill_choices(db.session, None, current_user)
    if form.validate_on_submit():
        try:
            values = _event_values(form)
            event = services.create_event(db.session, slug=(form.slug.data or "").strip(), **values)
            services.grant_role(db.session, event, current_user, RoleName.ORGANISER)
            if form.organiser_email.data:
                services.grant_role_by_email(
                    db.session, event, form.organiser_email.data, RoleName.ORGANISER
                )
        except ServiceError as exc:
            if exc.field == "email":
                exc.field = "organiser_email"
            _apply_error(form, exc)
        else:
            db.session.commit()
            flash(
                _("The event is created as a draft. Check its categories, then publish."), "success"
            )
            return redirect(url_for("events.manage", slug=event.slug))
    return render_template("events/event_form.html", form=form, event=None)


# Organisers --------------------------------------------------------------------------------------


@bp.get("/<slug>/manage/")
@organiser_required
def manage(event: Event) -> str:
    return render_template(
        "events/manage.html",
        event=event,
        board=statistics.dashboard(db.session, event),
        window=registration_window_state(event, utcnow()),
        action=ActionForm(),
    )


@bp.route("/<slug>/manage/details", methods=["GET", "POST"])
@organiser_required
def edit(event: Event):
    form = EventEditForm()
    form.fill_choices(db.session, event, current_user)
    if request.method == "GET":
        _fill_event_form(form, event)
    if form.validate_on_submit():
        done = save_or_show(
            form,
            lambda: services.update_event(db.session, event, **_event_values(form, event)),
            saved=_("Saved."),
            then=url_for("events.manage", slug=event.slug),
        )
        if done is not None:
            return done
    return render_template("events/event_form.html", form=form, event=event)


@bp.post("/<slug>/manage/publish")
@organiser_required
def publish(event: Event):
    _require_action_form()
    published = request.form.get("published") == "1"
    run_service(
        lambda: services.set_published(db.session, event, published),
        _("The event is published.") if published else _("The event is now a draft."),
        flash_category="info",
    )
    return redirect(url_for("events.manage", slug=event.slug))


@bp.route("/<slug>/manage/categories/", methods=["GET", "POST"])
@organiser_required
def categories(event: Event):
    form = CategoryForm()
    if form.validate_on_submit():
        done = save_or_show(
            form,
            lambda: services.add_category(db.session, event, **_category_values(form, event)),
            saved=_("Category added."),
            then=url_for("events.categories", slug=event.slug),
        )
        if done is not None:
            return done
    board = statistics.dashboard(db.session, event)
    return render_template(
        "events/categories.html", event=event, form=form, board=board, action=ActionForm()
    )


def _data_of(form: Any, *names: str) -> dict[str, Any]:
    """The named fields' values, by name."""
    return {name: form[name].data for name in names}


def _category_values(form: CategoryForm, event: Event) -> dict[str, Any]:
    return {
        **_data_of(form, "code", "label", "colour", "capacity", "position"),
        "is_public": form.visibility.data != "assigned",
        "label_translations": versions_beside(form.label, event),
    }


@bp.route("/<slug>/manage/categories/<int:category_id>", methods=["GET", "POST"])
@organiser_required
def edit_category(event: Event, category_id: int):
    category = services.category_of(event, category_id)  # NotFound: the 404 page (web/errors.py)
    form = CategoryForm(obj=category)
    if request.method == "GET":
        form.visibility.data = "public" if category.is_public else "assigned"
    if form.validate_on_submit():
        values = _category_values(form, event)
        if values["position"] is None:
            values.pop("position")
        done = save_or_show(
            form,
            lambda: services.update_category(db.session, category, **values),
            saved=_("Saved."),
            then=url_for("events.categories", slug=event.slug),
        )
        if done is not None:
            return done
    return render_template(
        "events/category_form.html", event=event, form=form, category=category, action=ActionForm()
    )


@bp.post("/<slug>/manage/categories/<int:category_id>/delete")
@organiser_required
def delete_category(event: Event, category_id: int):
    _require_action_form()
    category = services.category_of(event, category_id)
    run_service(
        lambda: services.delete_category(db.session, category),
        _("Category deleted."),
        flash_category="info",
    )
    return redirect(url_for("events.categories", slug=event.slug))


@bp.route("/<slug>/manage/questions/", methods=["GET", "POST"])
@organiser_required
def questions(event: Event):
    form = QuestionForm()
    if form.validate_on_submit():
        done = save_or_show(
            form,
            lambda: services.add_question(
                db.session, event, **_question_values(form, event), position=form.position.data
            ),
            saved=_("Question added."),
            then=url_for("events.questions", slug=event.slug),
        )
        if done is not None:
            return done
    answered = {q.id: services.answer_count(db.session, q) for q in event.questions}
    return render_template(
        "events/questions.html",
        event=event,
        form=form,
        answered=answered,
        kind_labels={c.value: c.label for c in QUESTION_KIND_CHOICES},
        action=ActionForm(),
    )


def _question_values(form: QuestionForm, event: Event) -> dict[str, Any]:
    return {
        **_data_of(form, "label", "kind", "required", "options", "on_badge"),
        "label_translations": versions_beside(form.label, event),
        "options_translations": versions_beside(form.options, event),
    }


@bp.route("/<slug>/manage/questions/<int:question_id>", methods=["GET", "POST"])
@organiser_required
def edit_question(event: Event, question_id: int):
    question = services.question_of(event, question_id)
    form = QuestionForm(obj=question)
    if request.method == "GET":
        form.kind.data = question.kind.value
        form.options.data = "\n".join(question.options or [])
    if form.validate_on_submit():
        changes = {**_question_values(form, event), "is_active": form.is_active.data}
        if form.position.data is not None:
            changes["position"] = form.position.data
        done = save_or_show(
            form,
            lambda: services.update_question(db.session, question, **changes),
            saved=_("Saved."),
            then=url_for("events.questions", slug=event.slug),
        )
        if done is not None:
            return done
    return render_template(
        "events/question_form.html",
        event=event,
        form=form,
        question=question,
        answered=services.answer_count(db.session, question),
        action=ActionForm(),
    )


@bp.post("/<slug>/manage/questions/<int:question_id>/remove")
@organiser_required
def remove_question(event: Event, question_id: int):
    _require_action_form()
    outcome = services.remove_question(db.session, services.question_of(event, question_id))
    db.session.commit()
    if outcome == "deleted":
        flash(_("Question deleted."), "info")
    else:
        flash(
            _("People have answered this question: it is deactivated and their answers kept."),
            "info",
        )
    return redirect(url_for("events.questions", slug=event.slug))


@bp.route("/<slug>/manage/roles/", methods=["GET", "POST"])
@organiser_required
def roles(event: Event):
    form = RoleForm()
    if form.validate_on_submit():
        done = save_or_show(
            form,
            lambda: services.grant_role_by_email(
                db.session, event, form.email.data, form.role.data
            ),
            saved=_("Added."),
            then=url_for("events.roles", slug=event.slug),
        )
        if done is not None:
            return done
    return render_template(
        "events/roles.html",
        event=event,
        form=form,
        grants=services.event_roles(db.session, event),
        action=ActionForm(),
    )


@bp.post("/<slug>/manage/roles/<int:role_id>/remove")
@organiser_required
def remove_role(event: Event, role_id: int):
    _require_action_form()
    try:
        services.remove_role(db.session, event, role_id, by_admin=current_user.is_admin)
    except NotFound:
        raise  # the 404 page (web/errors.py), not a message on this one
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Removed."), "info")
    return redirect(url_for("events.roles", slug=event.slug))
