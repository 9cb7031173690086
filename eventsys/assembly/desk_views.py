"""The chair's desk: one page of voting rights at a time, look-ups for the delegate and proxy
fields, and actions that return to the row or poll they were taken on."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventsys.assembly import desk, services
from eventsys.assembly.forms import (
    AnnulForm,
    MotionForm,
    PollForm,
    RightForm,
    SettingsForm,
    SetupForm,
)
from eventsys.assembly.models import Assembly, MembershipApplication, Motion, Poll
from eventsys.assembly.views import _assembly, _check_action_form, bp
from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n.content import form_translations, translation_languages
from eventsys.organisations.models import Organisation
from eventsys.registration.models import Registration
from eventsys.validation import ActionForm
from eventsys.web.forms import run_service

# A close with fewer ballots than this share of the rights present asks twice as loudly.
LOW_TURNOUT = 0.5


def _page_number() -> int:
    value = request.values.get("page", "1")
    return min(int(value), 10**6) if value.isdigit() and len(value) < 8 else 1


def _desk_url(event: Event, anchor: str = "", *, page: int | None = None, q: str = "") -> str:
    """Back to the desk where the chair was: the same page of rights, filter and row."""
    args: dict[str, Any] = {}
    if page and page > 1:
        args["page"] = page
    if q:
        args["q"] = q
    return url_for("assembly.manage", slug=event.slug, **args) + (f"#{anchor}" if anchor else "")


@bp.route("/manage", methods=["GET", "POST"])
@event_role_required("organiser")
def manage(event: Event):
    assembly = db.session.execute(
        select(Assembly)
        .where(Assembly.event_id == event.id)
        .options(selectinload(Assembly.motions).selectinload(Motion.polls))
    ).scalar_one_or_none()
    if assembly is None:
        return _setup(event)
    settings = SettingsForm(obj=assembly)
    if settings.validate_on_submit() and run_service(
        lambda: _save_settings(event, assembly, settings),
        _("Settings saved."),
    ):
        return redirect(_desk_url(event, "statutes"))
    search = request.args.get("q", "")[:200]
    rights = desk.rights_page(db.session, assembly, search=search, page=_page_number())
    applications = list(
        db.session.execute(
            select(MembershipApplication)
            .where(MembershipApplication.assembly_id == assembly.id)
            .options(
                selectinload(MembershipApplication.organisation),
                selectinload(MembershipApplication.documents),
            )
            .order_by(MembershipApplication.submitted_at)
        ).scalars()
    )
    audit = services.audit_entries(db.session, assembly)
    return render_template(
        "assembly/manage.html",
        event=event,
        assembly=assembly,
        settings=settings,
        rights=rights,
        search=search,
        applications=applications,
        motion_form=MotionForm(prefix="motion"),
        poll_form=PollForm(prefix="poll", quorum_percent=assembly.quorum_percent),
        annul_form=AnnulForm(prefix="annul"),
        form=ActionForm(),
        audit=audit[-15:],
        audit_ok=services.verify_audit(db.session, assembly, audit),
        state_version=services.assembly_state_version(db.session, assembly.id),
        presence=services.presence_summary(db.session, assembly),
    )


def _save_settings(event: Event, assembly: Assembly, settings: SettingsForm) -> None:
    services.update_settings(
        db.session,
        assembly,
        max_proxies=settings.max_proxies.data,
        quorum_percent=settings.quorum_percent.data,
        tie_rule=settings.tie_rule.data,
        actor_id=current_user.id,
    )
    services.rename_assembly(
        db.session,
        assembly,
        title=settings.title.data or None,
        title_translations=versions_beside(settings.title, event),
    )


def versions_beside(field: Any, event: Event) -> dict[str, str] | None:
    """The other languages' inputs beside a field (templates/i18n/_versions.html)."""
    return form_translations(request.form, field.name, translation_languages(event))


def _setup(event: Event):
    form = SetupForm()
    if event.host_organisation_id is None:
        flash(_("Name the network hosting this event before setting up its Assembly."), "error")
    elif form.validate_on_submit():
        network = db.session.get_one(Organisation, event.host_organisation_id)
        if run_service(
            lambda: services.create_assembly(
                db.session,
                event,
                network,
                held_on=form.held_on.data,
                title=form.title.data or "",
                title_translations=versions_beside(form.title, event),
            ),
            _("The General Assembly is set up with the network's current members."),
        ):
            return redirect(url_for("assembly.manage", slug=event.slug))
    return render_template("assembly/setup.html", event=event, form=form)


@bp.get("/manage/delegates")
@event_role_required("organiser")
def delegate_suggestions(event: Event):
    """For the delegate field's datalist: a few confirmed registrations matching `q`."""
    people = desk.suggest_delegates(db.session, event.id, request.args.get("q", "")[:200])
    return jsonify(delegates=people)


@bp.get("/manage/members")
@event_role_required("organiser")
def member_suggestions(event: Event):
    """For the proxy field's datalist: a few members of the Assembly matching `q`."""
    members = desk.suggest_members(db.session, _assembly(event), request.args.get("q", "")[:200])
    return jsonify(members=members)


@bp.post("/manage/rights/<int:right_id>")
@event_role_required("organiser")
def update_right(event: Event, right_id: int):
    assembly = _assembly(event)
    right = services.right_of(db.session, assembly, right_id)
    form = RightForm()
    back = _desk_url(
        event, f"right-{right.id}", page=_page_number(), q=request.form.get("q", "")[:200]
    )
    if not form.validate_on_submit():
        flash(_("Please check the values."), "error")
        return redirect(back)

    def apply_changes():
        registration = desk.delegate_by_email(db.session, event.id, form.delegate.data or "")
        if registration != right.delegate:
            services.appoint_delegate(
                db.session, assembly, right, registration, actor_id=current_user.id
            )
        holder = desk.right_by_member_name(db.session, assembly, form.holder.data or "")
        if (holder.id if holder else None) != right.proxy_holder_id:
            services.set_proxy(db.session, assembly, right, holder, actor_id=current_user.id)
        if form.weight.data != right.weight:
            services.set_weight(
                db.session, assembly, right, form.weight.data, actor_id=current_user.id
            )

    run_service(apply_changes, _("Saved: %(member)s.", member=right.member.name))
    return redirect(back)


@bp.post("/manage/attendance/<int:registration_id>")
@event_role_required("organiser")
def attendance(event: Event, registration_id: int):
    assembly = _assembly(event)
    _check_action_form()
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404, _("This person is not registered for this event."))
    present = request.form.get("present") == "1"
    run_service(
        lambda: services.mark_attendance(
            db.session, assembly, registration, present, actor_id=current_user.id
        )
    )
    anchor = request.form.get("right", "")
    return redirect(
        _desk_url(
            event,
            f"right-{anchor}" if anchor.isdigit() else "rights",
            page=_page_number(),
            q=request.form.get("q", "")[:200],
        )
    )


@bp.post("/manage/polls/<int:poll_id>/<any(open, close, annul, repeat):action>")
@event_role_required("organiser")
def poll_action(event: Event, poll_id: int, action: str):
    assembly = _assembly(event)
    try:
        poll = services.poll_of(db.session, assembly, poll_id)
    except ServiceError as exc:
        abort(404, exc.message)
    actor = current_user.id
    if action == "annul":
        form = AnnulForm(prefix="annul")
        form.validate_on_submit()
        reason = form.reason.data or ""
        run_service(
            lambda: services.annul_poll(db.session, poll, reason, actor_id=actor),
            _("The poll is annulled and stays in the record."),
        )
        return redirect(_desk_url(event, f"poll-{poll.id}"))
    _check_action_form()
    if action == "close" and request.form.get("confirm") != "1":
        return _confirm_close(event, assembly, poll)
    calls = {
        "open": (
            lambda: services.open_poll(
                db.session, poll, upload_dir=current_app.config["UPLOAD_DIR"], actor_id=actor
            ),
            _("The poll is open: delegates can vote now."),
        ),
        "close": (
            lambda: services.close_poll(db.session, poll.id, actor_id=actor),
            _("The poll is closed and the result fixed."),
        ),
        "repeat": (
            lambda: services.repeat_poll(db.session, poll),
            _("A new poll is prepared to repeat the vote."),
        ),
    }
    call, message = calls[action]
    result = run_service(call, message)
    anchor = f"poll-{result.id}" if isinstance(result, Poll) else f"poll-{poll.id}"
    return redirect(_desk_url(event, anchor))


def _confirm_close(event: Event, assembly: Assembly, poll: Poll):
    """Closing fixes the result for good: the chair sees how many of the rights present have
    voted, with a warning when few have, and confirms."""
    cast = services.vote_count(db.session, poll.id)
    present = len(services.present_rights(db.session, assembly.id))
    return render_template(
        "assembly/confirm_close.html",
        event=event,
        assembly=assembly,
        poll=poll,
        cast=cast,
        present=present,
        low=cast < LOW_TURNOUT * present,
        form=ActionForm(),
    )
