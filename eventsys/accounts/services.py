"""Accounts: creating users, passwords, confirmation and reset links, API tokens."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, Update, bindparam, func, or_, select, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from eventsys.accounts.models import ApiToken, User
from eventsys.db import utcnow
from eventsys.errors import ServiceError

_hasher = PasswordHasher()
CONFIRM_MAX_AGE = 7 * 24 * 3600
RESET_MAX_AGE = 2 * 3600
MIN_PASSWORD_LENGTH = 8
# How precisely an API token's last use is recorded (see note_api_token_use).
TOKEN_USE_RESOLUTION = timedelta(minutes=5)
TOKEN_USE_KEY = "eventsys_token_use"  # session.info: the token whose use the commit writes
TOKEN_USE_WRITTEN = "eventsys_token_use_written"  # ... and whether this transaction wrote it


class AccountError(ServiceError):
    pass


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()


def create_user(
    session: Session,
    *,
    email: str,
    password: str | None,
    display_name: str,
    latin_name: str | None = None,
    is_admin: bool = False,
    confirmed: bool = False,
    enforce_password_policy: bool = True,
) -> User:
    email = normalise_email(email)
    if find_user_by_email(session, email) is not None:
        raise AccountError(_("An account with this e-mail address already exists."), field="email")
    if password is not None and enforce_password_policy and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password needs at least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
            field="password",
        )
    user = User(
        email=email,
        password_hash=hash_password(password) if password else None,
        display_name=display_name.strip(),
        latin_name=(latin_name or "").strip() or None,
        is_admin=is_admin,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    session.add(user)
    session.flush()
    return user


def check_password(user: User | None, password: str) -> bool:
    """Constant work whether or not the user exists, so timing does not reveal accounts."""
    if user is None or not user.password_hash or user.deleted_at is not None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password or "x")
        return False
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return True


_DUMMY_HASH = _hasher.hash("not-a-real-password")


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user_by_email(session, email)
    if not check_password(user, password):
        return None
    if user is not None and _hasher.check_needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password needs at least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
            field="password",
        )
    user.password_hash = hash_password(password)
    user.session_version += 1


def _serializer(secret_key: str, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=salt)


def make_confirmation_token(secret_key: str, user: User) -> str:
    return _serializer(secret_key, "confirm-email").dumps({"u": user.id, "e": user.email})


def confirm_email(session: Session, secret_key: str, token: str) -> User:
    try:
        data = _serializer(secret_key, "confirm-email").loads(token, max_age=CONFIRM_MAX_AGE)
    except SignatureExpired as exc:
        raise AccountError(_("This confirmation link has expired; ask for a new one.")) from exc
    except BadSignature as exc:
        raise AccountError(_("This confirmation link is not valid.")) from exc
    user = session.get(User, data.get("u"))
    if user is None or user.email != data.get("e"):
        raise AccountError(_("This confirmation link is not valid."))
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


def make_reset_token(secret_key: str, user: User) -> str:
    # The session version changes with the password, so a used link stops working: single use.
    return _serializer(secret_key, "reset-password").dumps(
        {"u": user.id, "v": user.session_version}
    )


def user_for_reset_token(session: Session, secret_key: str, token: str) -> User:
    """The account a reset link is for, while the link is unused and fresh."""
    try:
        data = _serializer(secret_key, "reset-password").loads(token, max_age=RESET_MAX_AGE)
    except SignatureExpired as exc:
        raise AccountError(_("This reset link has expired; ask for a new one.")) from exc
    except BadSignature as exc:
        raise AccountError(_("This reset link is not valid.")) from exc
    user = session.get(User, data.get("u"))
    if user is None or user.session_version != data.get("v") or user.deleted_at is not None:
        raise AccountError(_("This reset link has already been used or is no longer valid."))
    return user


def reset_password(session: Session, secret_key: str, token: str, new_password: str) -> User:
    user = user_for_reset_token(session, secret_key, token)
    set_password(user, new_password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()  # the link arrived by e-mail, so the address works
    return user


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(session: Session, user: User, name: str = "") -> str:
    """Returns the token once; only its digest is kept."""
    token = "evs_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, digest=token_digest(token), name=name[:100]))
    session.flush()
    return token


def api_token_for(session: Session, token: str) -> ApiToken | None:
    """The valid token row with its active owner loaded, or None."""
    row = session.execute(_token_statement(), {"digest": token_digest(token)}).scalar_one_or_none()
    if row is None or not row.user.is_active:
        return None
    return row


@functools.cache
def _token_statement() -> Select[tuple[ApiToken]]:
    """Built once: every API request runs it, and building and keying it afresh (with its
    joinedload) cost more CPU than the query."""
    return (
        select(ApiToken)
        .where(ApiToken.digest == bindparam("digest"), ApiToken.revoked_at.is_(None))
        .options(joinedload(ApiToken.user))  # every API request needs both: one query
    )


def user_for_api_token(session: Session, token: str) -> User | None:
    row = api_token_for(session, token)
    return row.user if row is not None else None


def note_api_token_use(session: Session, row: ApiToken) -> bool:
    """Move `last_used_at` on, but only when it is older than TOKEN_USE_RESOLUTION: a busy
    script then costs one small UPDATE per interval, not a write per request. The condition is
    repeated in the UPDATE so concurrent requests write it once. True when it wrote."""
    if not token_use_is_stale(row):
        return False
    set_committed_value(row, "last_used_at", _write_token_use(session, row.id))
    return True


def token_use_is_stale(row: ApiToken) -> bool:
    return row.last_used_at is None or row.last_used_at <= utcnow() - TOKEN_USE_RESOLUTION


def _write_token_use(session: Session, token_id: int) -> datetime:
    now = utcnow()
    session.execute(
        _token_use_statement(),
        {"token_id": token_id, "now": now, "stale_before": now - TOKEN_USE_RESOLUTION},
    )
    return now


@functools.cache
def _token_use_statement() -> Update:
    """Built once, as _token_statement. The condition is repeated here so that concurrent
    requests with one token write it once."""
    return (
        update(ApiToken)
        .where(
            ApiToken.id == bindparam("token_id"),
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at <= bindparam("stale_before"),
            ),
        )
        .values(last_used_at=bindparam("now"))
        .execution_options(synchronize_session=False)
    )


def note_api_token_use_on_commit(session: Session, row: ApiToken) -> None:
    """Like note_api_token_use, but written by the request's own transaction
    (write_noted_token_use, at the latest just before it commits): a request that writes anyway
    then spends no transaction, commit and connection check-out of its own on it. Until a
    commit carried it, the use stays noted (a rollback undoes the write), so a request that
    commits nothing has it written at its end."""
    if token_use_is_stale(row):
        session.info[TOKEN_USE_KEY] = row.id
        session.info[TOKEN_USE_WRITTEN] = False


def write_noted_token_use(session: Session) -> bool:
    """The UPDATE noted by note_api_token_use_on_commit, once per transaction; True when it
    wrote. Run first in a transaction, or after a flush just before COMMIT: either way the
    token's row is not locked while the transaction waits for another lock, so a concurrent
    request using the same token cannot deadlock with it."""
    token_id = session.info.get(TOKEN_USE_KEY)
    if token_id is None or session.info.get(TOKEN_USE_WRITTEN):
        return False
    session.flush()
    _write_token_use(session, token_id)
    session.info[TOKEN_USE_WRITTEN] = True
    return True


def token_use_committed(session: Session) -> None:
    """Session listener (after_commit)."""
    if session.info.get(TOKEN_USE_WRITTEN):
        session.info.pop(TOKEN_USE_KEY, None)
        session.info.pop(TOKEN_USE_WRITTEN, None)


def token_use_rolled_back(session: Session) -> None:
    """Session listener (after_rollback): the write went with the transaction; still noted."""
    if TOKEN_USE_KEY in session.info:
        session.info[TOKEN_USE_WRITTEN] = False


def token_use_pending(session: Session) -> bool:
    return TOKEN_USE_KEY in session.info


def api_tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens still valid, newest first, for the account page."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_api_token(session: Session, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; someone else's is treated as not there."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        raise AccountError(_("There is no such token."))
    row.revoked_at = utcnow()
    return row


def load_user_from_session_id(session: Session, session_id: str) -> User | None:
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user
