"""Log in, sign up, confirm the e-mail address, reset the password, the own account."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user

from eventsys.accounts import notifications, services
from eventsys.accounts.forms import ForgotForm, LoginForm, ProfileForm, ResetForm, SignupForm
from eventsys.errors import ServiceError
from eventsys.extensions import db, limiter
from eventsys.i18n import current_locale, normalise_locale
from eventsys.web.access import login_required, public, token
from eventsys.web.urls import same_site_path

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(default: str) -> str:
    return same_site_path(request.args.get("next"), default)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The e-mail address or the password is wrong."))
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(url_for("web.home")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("web.home"))


@bp.route("/signup", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                db.session,
                email=form.email.data,
                password=form.password.data,
                display_name=form.display_name.data,
                latin_name=form.latin_name.data,
            )
        except ServiceError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
        else:
            user.locale = current_locale()  # the language they signed up in, for their mails
            notifications.confirm_email(db.session, user)
            db.session.commit()
            login_user(user)
            flash(_("Welcome! We sent you an e-mail to confirm your address."), "success")
            return redirect(_safe_next(url_for("web.home")))
    return render_template("accounts/signup.html", form=form)


@bp.get("/confirm/<token>")
@token
def confirm(token: str):
    try:
        services.confirm_email(db.session, current_app.config["SECRET_KEY"], token)
    except ServiceError as exc:
        return render_template(
            "accounts/link_invalid.html", kind="confirm", message=exc.message
        ), 400
    db.session.commit()
    flash(_("Your e-mail address is confirmed."), "success")
    return redirect(url_for("web.home"))


@bp.post("/confirm/resend")
@login_required
@limiter.limit(_login_limit)
def resend_confirmation():
    if current_user.email_confirmed_at is None:
        notifications.confirm_email(db.session, current_user)
        db.session.commit()
    flash(_("We sent the confirmation e-mail again."), "info")
    return redirect(url_for("accounts.profile"))


@bp.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(db.session, form.email.data)
        if user is not None and user.is_active:
            notifications.reset_password(db.session, user)
            db.session.commit()
        # The same answer either way, so the form does not reveal who has an account.
        flash(_("If an account uses this address, a reset link is on its way."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@token
def reset(token: str):
    try:
        services.user_for_reset_token(db.session, current_app.config["SECRET_KEY"], token)
    except ServiceError as exc:
        # Checked before the form is shown, so nobody types a new password in vain.
        return render_template("accounts/link_invalid.html", kind="reset", message=exc.message), 400
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(
                db.session, current_app.config["SECRET_KEY"], token, form.password.data
            )
        except ServiceError as exc:
            form.password.errors.append(exc.message)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Your new password is set."), "success")
            return redirect(url_for("web.home"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if not form.is_submitted():
        form.locale.data = current_user.locale or current_locale()
    if form.validate_on_submit():
        current_user.display_name = " ".join(form.display_name.data.split())
        current_user.latin_name = (form.latin_name.data or "").strip() or None
        locale = normalise_locale(form.locale.data)
        if locale:
            current_user.locale = session["locale"] = locale
            refresh()  # the confirmation below already in the chosen language
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html",
        form=form,
        api_tokens=services.api_tokens_of(db.session, current_user),
    )


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    try:
        row = services.revoke_api_token(db.session, current_user, token_id)
    except services.AccountError as exc:
        abort(404, exc.message)
    db.session.commit()
    flash(_("The token “%(name)s” is revoked.", name=row.name or row.id), "info")
    return redirect(url_for("accounts.profile"))
