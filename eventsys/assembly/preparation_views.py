"""Before the meeting, on the web: the chair's preparation page (voting rights from the
register, the deadline, invitations and reminders) and the page a member's contact opens from
their personal link to appoint the delegate or name a proxy."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, DateTimeLocalField, EmailField
from wtforms.validators import DataRequired, Email, Length

from eventsys.assembly import notices
from eventsys.assembly.services import appointments
from eventsys.assembly.services.register_rights import preparation_of, rights_from_register
from eventsys.assembly.views import _assembly, _check_action_form, bp
from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required, load_event
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.organisations.access import can_manage_register
from eventsys.validation import Form, db_ints
from eventsys.web.access import token
from eventsys.web.forms import run_service


class RegisterRightsForm(Form):
    weighted = BooleanField(_l("The statutes weigh votes by the register's membership weights"))


class DeadlineForm(Form):
    deadline = DateTimeLocalField(
        _l("Delegates and proxies can be named online until"), validators=[DataRequired()]
    )


class DelegateForm(Form):
    email = EmailField(
        _l("The delegate's e-mail address"), validators=[DataRequired(), Email(), Length(max=254)]
    )


def _preparation_url(event: Event) -> str:
    return url_for("assembly.preparation", slug=event.slug)


@bp.get("/manage/preparation")
@event_role_required("organiser")
def preparation(event: Event):
    assembly = _assembly(event)
    prep = preparation_of(db.session, assembly)
    db.session.commit()
    zone = ZoneInfo(event.timezone)
    deadline_form = DeadlineForm(
        deadline=prep.deadline.astimezone(zone).replace(tzinfo=None) if prep.deadline else None
    )
    waiting = appointments.not_acted(db.session, assembly)
    return render_template(
        "assembly/preparation.html",
        event=event,
        assembly=assembly,
        prep=prep,
        rights_form=RegisterRightsForm(weighted=prep.weighted),
        deadline_form=deadline_form,
        waiting=waiting,
        is_open=prep.deadline is not None and utcnow() < prep.deadline,
        keeps_register=can_manage_register(db.session, current_user, assembly.network_id),
    )


@bp.post("/manage/preparation/register")
@event_role_required("organiser")
def rights_from_the_register(event: Event):
    assembly = _assembly(event)
    form = RegisterRightsForm()
    form.validate_on_submit()
    run_service(
        lambda: rights_from_register(
            db.session, assembly, weighted=bool(form.weighted.data), actor_id=current_user.id
        ),
        lambda result: _(
            "Voting rights taken from the register: %(added)s added, %(reweighted)s "
            "reweighted, %(withdrawn)s withdrawn.",
            added=result.added,
            reweighted=result.reweighted,
            withdrawn=result.withdrawn,
        ),
    )
    return redirect(_preparation_url(event))


@bp.post("/manage/preparation/deadline")
@event_role_required("organiser")
def set_deadline(event: Event):
    assembly = _assembly(event)
    form = DeadlineForm()
    if not form.validate_on_submit() or form.deadline.data is None:
        flash(_("Please give the date and time of the deadline."), "error")
        return redirect(_preparation_url(event))
    deadline = form.deadline.data.replace(tzinfo=ZoneInfo(event.timezone))
    run_service(
        lambda: appointments.set_deadline(db.session, assembly, deadline, actor_id=current_user.id),
        _("Deadline saved."),
    )
    return redirect(_preparation_url(event))


@bp.post("/manage/preparation/<any(invite, remind):action>")
@event_role_required("organiser")
def send_links(event: Event, action: str):
    """Invite every member's contacts, or remind (one click) those of members not acted yet."""
    assembly = _assembly(event)
    _check_action_form()
    reminder = action == "remind"

    def send() -> int:
        issued = appointments.issue_links(
            db.session, assembly, only_not_acted=reminder, actor_id=current_user.id
        )
        return notices.appointment_links(db.session, assembly, issued, reminder=reminder)

    run_service(send, lambda sent: _("Mails queued: %(num)s.", num=sent))
    return redirect(_preparation_url(event))


@bp.route("/appoint/<token>", methods=["GET", "POST"])
@token
def appoint(slug: str, token: str):
    """A member's contact, from their personal link: the delegate, or a proxy."""
    event = load_event(slug)
    assembly = _assembly(event)
    try:
        link = appointments.link_for(db.session, assembly, token)
    except ServiceError as exc:
        abort(404, exc.message)
    form = DelegateForm(prefix="delegate")
    if request.method == "POST":
        _act(event, assembly, link, form)
        return redirect(url_for("assembly.appoint", slug=slug, token=token))
    right = link.right
    deadline_error = None
    try:
        appointments.check_open(db.session, assembly, utcnow())
    except ServiceError as exc:
        deadline_error = exc.message
    return render_template(
        "assembly/appoint.html",
        event=event,
        assembly=assembly,
        link=link,
        right=right,
        form=form,
        choices=appointments.proxy_choices(db.session, assembly, right),
        deadline_error=deadline_error,
        deadline=preparation_of(db.session, assembly).deadline,
    )


def _act(event: Event, assembly, link, form: DelegateForm) -> None:
    action = request.form.get("action", "")
    holder = db_ints([request.form.get("holder", "")])
    if action not in ("delegate", "proxy", "withdraw"):
        abort(400)
    if action == "delegate" and not form.validate_on_submit():
        flash(_("Please give the delegate's e-mail address."), "error")
    elif action == "proxy" and not holder:
        flash(_("Please choose the member whose delegate carries the vote."), "error")
    else:
        email = form.email.data or ""
        run_service(
            lambda: _appoint(
                assembly, link, action, email, holder[0] if action == "proxy" else None
            ),
            lambda message: message,
        )


def _appoint(assembly, link, action: str, email: str, holder: int | None) -> str:
    """The contact's choice through the service; what to tell them."""
    if action == "delegate":
        found = appointments.appoint_online(db.session, assembly, link, email, now=utcnow())
        if found is None:
            notices.invite_delegate(db.session, assembly, email, link.right.member.name)
            return _(
                "%(email)s is not registered yet: we have invited them to register. Once "
                "their registration is confirmed, they are appointed as the delegate.",
                email=email,
            )
        return _("%(name)s is the delegate.", name=found.display_name)
    right = appointments.proxy_online(db.session, assembly, link, holder, now=utcnow())
    if action == "withdraw":
        return _("The proxy is withdrawn.")
    return _(
        "The delegate of %(member)s carries your vote.",
        member=right.proxy_holder.member.name if right.proxy_holder else "",
    )
