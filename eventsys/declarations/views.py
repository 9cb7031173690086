"""Declaration pages: public reading and signing, the signature link, organiser pages."""

from __future__ import annotations

from datetime import datetime
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
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from eventsys.db import utcnow
from eventsys.declarations import exports, pdf, services
from eventsys.declarations.chart import bar_chart_svg
from eventsys.declarations.forms import declaration_form, sign_form
from eventsys.declarations.models import Declaration
from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required, has_event_role, load_event
from eventsys.extensions import db, limiter
from eventsys.i18n import local_to_utc, to_local
from eventsys.organisations.countries import country_name
from eventsys.validation import ActionForm
from eventsys.web.access import login_required, public, token
from eventsys.web.forms import show_service_error

bp = Blueprint("declarations", __name__)
CHART_BARS = 20


def _locale() -> str:
    return str(get_locale() or "en")


def _page_number() -> int:
    return request.args.get("page", 1, type=int)


def _public_declaration(slug: str, declaration_slug: str) -> Declaration:
    event = load_event(slug)
    organiser = has_event_role(current_user, event, ("organiser",))
    if not event.is_published and not organiser:
        abort(404, _("There is no event at this address."))
    try:
        return services.declaration_of(
            db.session, event, declaration_slug, published_only=not organiser
        )
    except ServiceError as exc:
        abort(404, exc.message)


def _apply_error(form, exc: ServiceError, hidden: frozenset[str] = frozenset()) -> None:
    """The message goes next to its field, or above the form when that field is not shown."""
    show_service_error(form, exc, field="" if exc.field in hidden else None)


def _render_page(declaration: Declaration, form, status: int = 200):
    locale = _locale()
    counts = services.counts(db.session, declaration)
    country_rows = [(country_name(code, locale), n) for code, n in counts.by_country]
    own = (
        services.signatures_of_user(db.session, declaration, current_user)
        if current_user.is_authenticated
        else []
    )
    return render_template(
        "declarations/show.html",
        declaration=declaration,
        event=declaration.event,
        counts=counts,
        country_rows=country_rows,
        chart=bar_chart_svg(country_rows, title=_("Signatures by country"), limit=CHART_BARS),
        chart_bars=CHART_BARS,
        signatories=services.public_signatories_page(db.session, declaration, _page_number()),
        per_page=services.PER_PAGE,
        state=declaration.state(utcnow()),
        form=form,
        action_form=ActionForm(),
        own=own,
        locale=locale,
        is_organiser=has_event_role(current_user, declaration.event, ("organiser",)),
    ), status


@bp.get("/events/<slug>/declarations/<declaration_slug>")
@public
def show(slug: str, declaration_slug: str):
    declaration = _public_declaration(slug, declaration_slug)
    form = sign_form(declaration, _locale())
    if current_user.is_authenticated:
        form.display_name.data = current_user.display_name
    return _render_page(declaration, form)


def _sign_limit() -> str:
    # Each anonymous signature sends a mail: the same bound as logins keeps it from being a relay.
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.post("/events/<slug>/declarations/<declaration_slug>/sign")
@public
@limiter.limit(_sign_limit)
def sign(slug: str, declaration_slug: str):
    declaration = _public_declaration(slug, declaration_slug)
    form = sign_form(declaration, _locale())
    if not form.validate_on_submit():
        return _render_page(declaration, form, 422)
    user = current_user if current_user.is_authenticated else None
    try:
        signature, secret = services.sign(
            db.session,
            declaration,
            services.SignData(
                kind=form.kind.data,
                display_name=form.display_name.data,
                email=form.email.data,
                organisation_name=form.organisation_name.data or "",
                country=form.country.data,
                is_public=form.is_public.data,
            ),
            user=user,
        )
    except ServiceError as exc:
        db.session.rollback()
        hidden = {"email"} if user is not None else set()
        if len(form.kind.choices) == 1:
            hidden.add("kind")
        _apply_error(form, exc, frozenset(hidden))
        return _render_page(declaration, form, exc.status)
    db.session.commit()
    if secret is None:
        flash(_("Thank you: your signature counts."), "success")
    else:
        flash(
            _("Almost done: we sent you an e-mail. Your signature counts once you confirm it."),
            "info",
        )
    return redirect(url_for(".show", slug=slug, declaration_slug=declaration_slug))


@bp.post("/events/<slug>/declarations/<declaration_slug>/signatures/<int:signature_id>/withdraw")
@login_required
def withdraw_own(slug: str, declaration_slug: str, signature_id: int):
    declaration = _public_declaration(slug, declaration_slug)
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    try:
        signature = services.own_signature(db.session, declaration, current_user, signature_id)
        services.withdraw(db.session, signature)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Your signature is withdrawn."), "success")
    return redirect(url_for(".show", slug=slug, declaration_slug=declaration_slug))


def _public_message(signature) -> str:
    if signature.is_public:
        return _("Your name now appears in the public list.")
    return _("Your name no longer appears in the public list; your signature still counts.")


@bp.post("/events/<slug>/declarations/<declaration_slug>/signatures/<int:signature_id>/visibility")
@login_required
def set_public_own(slug: str, declaration_slug: str, signature_id: int):
    declaration = _public_declaration(slug, declaration_slug)
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    try:
        signature = services.own_signature(db.session, declaration, current_user, signature_id)
        services.set_public(db.session, signature, request.form.get("public") == "1")
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_public_message(signature), "success")
    return redirect(url_for(".show", slug=slug, declaration_slug=declaration_slug))


@bp.route("/declarations/signature/<token>", methods=["GET", "POST"])
@token
def by_token(token: str):
    """The link from the e-mail: confirm (a button, so mail scanners do not sign), or withdraw."""
    try:
        signature = services.signature_for_token(db.session, token)
    except ServiceError as exc:
        abort(404, exc.message)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400, _("The form expired; please try again."))
        action = request.form.get("action")
        try:
            if action == "confirm":
                services.confirm(db.session, signature)
                message = _("Thank you: your signature is confirmed and counts.")
            elif action == "withdraw":
                services.withdraw(db.session, signature)
                message = _("Your signature is withdrawn.")
            elif action in ("show", "hide"):
                services.set_public(db.session, signature, action == "show")
                message = _public_message(signature)
            else:
                abort(400, _("Unknown action."))
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(message, "success")
        return redirect(url_for(".by_token", token=token))
    declaration = signature.declaration
    return render_template(
        "declarations/signature.html",
        signature=signature,
        declaration=declaration,
        event=declaration.event,
        state=declaration.state(utcnow()),
        form=form,
        locale=_locale(),
    )


@bp.get("/events/<slug>/declarations/<declaration_slug>/declaration.pdf")
@public
def print_pdf(slug: str, declaration_slug: str):
    declaration = _public_declaration(slug, declaration_slug)
    try:
        content = pdf.declaration_pdf(db.session, declaration, _locale())
    except ServiceError as exc:
        abort(exc.status, exc.message)
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{declaration.slug}.pdf"'},
    )


# --- organisers ---------------------------------------------------------------------------


def _translation_locales(event) -> list[str]:
    codes = [*current_app.config["LANGUAGES"], *(event.languages or [])]
    return sorted({c for c in codes if c and c != event.default_locale})


def _local_input(value: datetime, zone: str) -> datetime:
    return to_local(value, zone).replace(tzinfo=None)


def _data_from(form, event) -> services.DeclarationData:
    return services.DeclarationData(
        slug=(form.slug.data or "").strip(),
        title=form.title.data,
        text=form.text.data,
        opens_at=local_to_utc(form.opens_at.data, event.timezone),
        closes_at=local_to_utc(form.closes_at.data, event.timezone),
        signer_kinds=form.signer_kinds.data,
        eligibility=form.eligibility.data,
        is_published=form.is_published.data,
        translations=form.translations(),
    )


@bp.get("/events/<slug>/manage/declarations/")
@event_role_required("organiser")
def manage(event):
    declarations = services.declarations_of(db.session, event, published_only=False)
    return render_template(
        "declarations/manage.html",
        event=event,
        rows=[(d, services.counts(db.session, d)) for d in declarations],
        now=utcnow(),
    )


def _edit(event, declaration: Declaration | None):
    form = declaration_form(_translation_locales(event), obj=declaration)
    if declaration is not None and not form.is_submitted():
        form.opens_at.data = _local_input(declaration.opens_at, event.timezone)
        form.closes_at.data = _local_input(declaration.closes_at, event.timezone)
        form.set_translations(declaration)
    if form.validate_on_submit():
        try:
            data = _data_from(form, event)
            if declaration is None:
                declaration = services.create_declaration(db.session, event, data)
            else:
                services.update_declaration(db.session, declaration, data)
        except ServiceError as exc:
            db.session.rollback()
            _apply_error(form, exc)
        else:
            db.session.commit()
            flash(_("The declaration is saved."), "success")
            return redirect(url_for(".manage", slug=event.slug))
    return render_template(
        "declarations/edit.html", event=event, form=form, declaration=declaration
    ), (422 if form.errors or form.form_errors else 200)


@bp.route("/events/<slug>/manage/declarations/new", methods=["GET", "POST"])
@event_role_required("organiser")
def new(event):
    return _edit(event, None)


def _organiser_declaration(event, declaration_slug: str) -> Declaration:
    try:
        return services.declaration_of(db.session, event, declaration_slug, published_only=False)
    except ServiceError as exc:
        abort(404, exc.message)


@bp.route("/events/<slug>/manage/declarations/<declaration_slug>", methods=["GET", "POST"])
@event_role_required("organiser")
def edit(event, declaration_slug: str):
    return _edit(event, _organiser_declaration(event, declaration_slug))


@bp.get("/events/<slug>/manage/declarations/<declaration_slug>/signatures")
@event_role_required("organiser")
def signatures(event, declaration_slug: str):
    declaration = _organiser_declaration(event, declaration_slug)
    return render_template(
        "declarations/signatures.html",
        event=event,
        declaration=declaration,
        signatures=services.signatures_page(db.session, declaration, _page_number()),
        counts=services.counts(db.session, declaration),
    )


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        content,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/events/<slug>/manage/declarations/<declaration_slug>/signatures.csv")
@event_role_required("organiser")
def export_csv(event, declaration_slug: str):
    declaration = _organiser_declaration(event, declaration_slug)
    rows = services.all_signatures(db.session, declaration)
    return _download(
        exports.to_csv(rows, event.timezone, _locale()),
        "text/csv; charset=utf-8",
        f"{declaration.slug}-signatures.csv",
    )


@bp.get("/events/<slug>/manage/declarations/<declaration_slug>/signatures.xlsx")
@event_role_required("organiser")
def export_xlsx(event, declaration_slug: str):
    declaration = _organiser_declaration(event, declaration_slug)
    rows = services.all_signatures(db.session, declaration)
    return _download(
        exports.to_xlsx(rows, event.timezone, _locale(), declaration.title),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{declaration.slug}-signatures.xlsx",
    )


def event_declarations(event) -> list[dict[str, Any]]:
    """For the event page: the published declarations with their state and signature count."""
    now = utcnow()
    return [
        {"declaration": d, "state": d.state(now), "total": services.counts(db.session, d).total}
        for d in services.declarations_of(db.session, event, published_only=True)
    ]
