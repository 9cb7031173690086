"""A network's member register on the web: the list, adding and ending members, contacts,
import with a preview, export. For the register's keepers only (see organisations/access.py)."""

from __future__ import annotations

import functools
import re
import secrets
import time
from datetime import date
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.extensions import db, login_manager
from eventsys.organisations import contacts, register
from eventsys.organisations import register_file as files
from eventsys.organisations.access import can_manage_register
from eventsys.organisations.forms import STATUS_LABELS, ContactForm, ImportForm, MemberForm
from eventsys.organisations.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
)
from eventsys.web.access import mark
from eventsys.web.forms import show_service_error

bp = Blueprint("register", __name__, url_prefix="/organisations")
PER_PAGE = 100
UPLOAD_NAME = re.compile(r"^[A-Za-z0-9_-]{20,60}\.(csv|xlsx)$")


def manager_required(view: Any) -> Any:
    """The view receives `network` instead of `network_id`."""

    @functools.wraps(view)
    def wrapper(*args: Any, network_id: int, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        network = db.session.get(Organisation, network_id)
        if network is None:
            abort(404, _("There is no such organisation."))
        if not can_manage_register(db.session, current_user, network.id):
            abort(403, _("Only the keepers of this network's register may open this page."))
        return view(*args, network=network, **kwargs)

    return mark("network:manager")(wrapper)


def kept_registers(user: Any) -> list[Organisation]:
    """For the account page: the networks whose register this person keeps (administrators,
    who may open every register, see only those they were named keepers of)."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = contacts.managed_network_ids(db.session, user.id)
    if not ids:
        return []
    found = db.session.execute(
        select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
    )
    return list(found.scalars())


def _today() -> date:
    return utcnow().date()


def _data(form: MemberForm) -> register.MemberData:
    return register.MemberData(
        name=form.name.data or "",
        kind=OrganisationKind(form.kind.data),
        country=form.country.data or None,
        city=form.city.data,
        short_name=form.short_name.data,
        code=(form.code.data or "").strip() or None,
        member_since=form.member_since.data,
        status=MembershipStatus(form.status.data),
        weight=form.weight.data or 1,
    )


def _emails(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    found = db.session.execute(select(User.id, User.email).where(User.id.in_(user_ids)))
    return {row.id: row.email for row in found}


def _contacts_of(organisation_ids: list[int]) -> dict[int, list[tuple[int, str, bool]]]:
    rows = list(
        db.session.execute(
            select(contacts.OrganisationContact).where(
                contacts.OrganisationContact.organisation_id.in_(organisation_ids)
            )
        ).scalars()
    )
    emails = _emails({r.user_id for r in rows})
    found: dict[int, list[tuple[int, str, bool]]] = {}
    for r in rows:
        found.setdefault(r.organisation_id, []).append(
            (r.user_id, emails.get(r.user_id, ""), r.manager)
        )
    return found


@bp.route("/<int:network_id>/members", methods=["GET", "POST"])
@manager_required
def members(network: Organisation):
    form = MemberForm(prefix="member")
    if form.validate_on_submit():
        try:
            register.add_member(db.session, network, _data(form), today=_today())
        except ServiceError as exc:
            db.session.rollback()
            show_service_error(form, exc)
        else:
            db.session.commit()
            flash(_("Added to the register: %(name)s.", name=form.name.data), "success")
            return redirect(url_for("register.members", network_id=network.id))
    search = request.args.get("q", "")[:200].strip()
    everyone = register.members(db.session, network, include_left=request.args.get("left") == "1")
    if search:
        everyone = [m for m in everyone if search.casefold() in m.member.name.casefold()]
    page = request.args.get("page", "1")
    number = int(page) if page.isdigit() and len(page) < 7 else 1
    shown = everyone[(number - 1) * PER_PAGE : number * PER_PAGE]
    return render_template(
        "organisations/register.html",
        network=network,
        memberships=shown,
        total=len(everyone),
        page=number,
        pages=max(1, -(-len(everyone) // PER_PAGE)),
        search=search,
        contacts=_contacts_of([m.member_id for m in shown] + [network.id]),
        status_labels=STATUS_LABELS,
        form=form,
        import_form=ImportForm(prefix="import"),
        contact_form=ContactForm(prefix="contact"),
    )


@bp.post("/<int:network_id>/members/<int:membership_id>/end")
@manager_required
def end(network: Organisation, membership_id: int):
    membership = _membership(network, membership_id)
    try:
        register.end_membership(db.session, membership, on=_today())
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s has left the network.", name=membership.member.name), "success")
    return redirect(url_for("register.members", network_id=network.id))


def _membership(network: Organisation, membership_id: int) -> Membership:
    try:
        return register.membership_of(db.session, network, membership_id)
    except ServiceError as exc:
        abort(404, exc.message)


@bp.post("/<int:network_id>/contacts/<int:organisation_id>")
@manager_required
def add_contact(network: Organisation, organisation_id: int):
    """A contact of a member, or (with `manager`) a keeper of the network's own register."""
    if organisation_id != network.id:
        _member_organisation(network, organisation_id)
    form = ContactForm(prefix="contact")
    back = redirect(url_for("register.members", network_id=network.id))
    if not form.validate_on_submit():
        flash(_("Please give the e-mail address of an account."), "error")
        return back
    user = db.session.execute(
        select(User).where(func.lower(User.email) == (form.email.data or "").strip().lower())
    ).scalar_one_or_none()
    if user is None or not user.is_active:
        flash(_("No account has this e-mail address; ask the person to sign up first."), "error")
        return back
    manager = bool(form.manager.data) and organisation_id == network.id
    contacts.add_contact(db.session, organisation_id, user.id, manager=manager)
    db.session.commit()
    flash(_("Contact saved: %(email)s.", email=user.email), "success")
    return back


@bp.post("/<int:network_id>/contacts/<int:organisation_id>/<int:user_id>/remove")
@manager_required
def remove_contact(network: Organisation, organisation_id: int, user_id: int):
    if organisation_id != network.id:
        _member_organisation(network, organisation_id)
    if not contacts.remove_contact(db.session, organisation_id, user_id):
        abort(404, _("This person is not a contact of this organisation."))
    db.session.commit()
    flash(_("Contact removed."), "success")
    return redirect(url_for("register.members", network_id=network.id))


def _member_organisation(network: Organisation, organisation_id: int) -> None:
    if not db.session.execute(
        select(Membership.id).where(
            Membership.network_id == network.id, Membership.member_id == organisation_id
        )
    ).first():
        abort(404, _("This organisation is not in the register."))


def _import_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "register-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_imports(folder: Path, max_age: float = 86_400) -> None:
    """Previews never confirmed leave their file behind; a day later nobody will apply them."""
    cutoff = time.time() - max_age
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


@bp.post("/<int:network_id>/members/import")
@manager_required
def import_preview(network: Organisation):
    """Reads the file and shows what would change; nothing changes until the keeper confirms."""
    form = ImportForm(prefix="import")
    back = redirect(url_for("register.members", network_id=network.id) + "#import")
    upload = request.files.get("import-file")
    if not form.validate_on_submit() or upload is None:
        flash(_("Please choose a CSV or XLSX file."), "error")
        return back
    data = upload.read(int(current_app.config["UPLOAD_MAX_BYTES"]) + 1)
    if len(data) > int(current_app.config["UPLOAD_MAX_BYTES"]):
        flash(_("The file is too large."), "error")
        return back
    filename = upload.filename or ""
    try:
        rows = files.read_rows(filename, data)
        plan = files.plan_import(db.session, network, rows, end_missing=bool(form.end_missing.data))
    except ServiceError as exc:
        flash(exc.message, "error")
        return back
    suffix = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    stored = f"{secrets.token_urlsafe(24)}.{suffix}"
    folder = _import_dir()
    _forget_old_imports(folder)
    (folder / stored).write_bytes(data)
    return render_template(
        "organisations/import_preview.html",
        network=network,
        plan=plan,
        stored=stored,
        end_missing=bool(form.end_missing.data),
        form=ImportForm(prefix="import"),
    )


@bp.post("/<int:network_id>/members/import/apply")
@manager_required
def import_apply(network: Organisation):
    """Plans the same file again (the register may have changed since) and applies it whole."""
    ImportForm(prefix="import").validate_on_submit()  # CSRF
    stored = request.form.get("stored", "")
    path = _import_dir() / stored
    if not UPLOAD_NAME.match(stored) or not path.is_file():
        abort(404, _("This import has expired; please upload the file again."))
    try:
        rows = files.read_rows(stored, path.read_bytes())
        plan = files.plan_import(
            db.session, network, rows, end_missing=request.form.get("end_missing") == "1"
        )
        files.apply_import(db.session, network, plan, today=_today())
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("register.members", network_id=network.id) + "#import")
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(
        _(
            "Register updated: %(new)s new, %(changed)s changed, %(ended)s ended.",
            new=len(plan.new),
            changed=len(plan.changed),
            ended=len(plan.ended),
        ),
        "success",
    )
    return redirect(url_for("register.members", network_id=network.id))


@bp.get("/<int:network_id>/members/export.<any(csv, xlsx):fmt>")
@manager_required
def export(network: Organisation, fmt: str):
    stem = re.sub(r"[^A-Za-z0-9]+", "-", network.short_name or network.name).strip("-") or "network"
    if fmt == "xlsx":
        body = files.to_xlsx(db.session, network)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = files.to_csv(db.session, network)
        mimetype = "text/csv; charset=utf-8"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{stem}-members.{fmt}"'},
    )
