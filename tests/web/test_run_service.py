"""eventsys.web.forms: a view's change committed and announced, or its refusal shown, with the
refusal's HTTP status (save_or_status) and the flash category the view asks for."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import StringField
from wtforms.validators import DataRequired

from eventsys.accounts.models import User
from eventsys.errors import Conflict, ServiceError
from eventsys.extensions import db
from eventsys.validation import Form
from eventsys.web.forms import run_service, save_or_status


class NameForm(Form):
    name = StringField("Name", validators=[DataRequired()])


def _form(name: str) -> NameForm:
    return NameForm(formdata=MultiDict({"name": name}), meta={"csrf": False})


def _rename(user: User, name: str, refusal: ServiceError | None = None):
    def change() -> int:
        user.display_name = name
        if refusal is not None:
            raise refusal
        return 3

    return change


@pytest.fixture
def user(factory) -> User:
    made = factory.user(name="Before")
    db.session.commit()
    return made


def _name_of(user_id: int) -> str:
    return db.session.execute(select(User.display_name).where(User.id == user_id)).scalar_one()


def test_run_service_flashes_in_the_category_asked_a_message_made_of_the_result(app, user):
    with app.test_request_context("/"):
        done = run_service(_rename(user, "After"), lambda n: f"{n} done", flash_category="info")
        assert done == 3
        assert get_flashed_messages(with_categories=True) == [("info", "3 done")]
    assert _name_of(user.id) == "After"


def test_run_service_rolls_back_and_flashes_a_refusal(app, user):
    with app.test_request_context("/"):
        assert run_service(_rename(user, "After", Conflict("Taken.")), "Saved.") is None
        assert get_flashed_messages(with_categories=True) == [("error", "Taken.")]
    assert _name_of(user.id) == "Before"


def test_save_or_status_redirects_once_saved(app, user):
    with app.test_request_context("/", method="POST"):
        done = save_or_status(_form("x"), _rename(user, "After"), saved="Saved.", then="/next")
        assert not isinstance(done, int) and done.status_code == 302
        assert done.location == "/next"
        assert get_flashed_messages(with_categories=True) == [("success", "Saved.")]
    assert _name_of(user.id) == "After"


def test_save_or_status_answers_422_for_an_invalid_form_and_the_refusals_status(app, user):
    with app.test_request_context("/", method="POST"):
        invalid = _form("")
        assert save_or_status(invalid, _rename(user, "After"), saved="S", then="/") == 422
        refused = _form("x")
        status = save_or_status(
            refused, _rename(user, "After", Conflict("Changed meanwhile.")), saved="S", then="/"
        )
        assert status == 409
        assert refused.form_errors == ["Changed meanwhile."]
        field = _form("x")
        status = save_or_status(
            field,
            _rename(user, "After", ServiceError("Too long.", field="name")),
            saved="S",
            then="/",
        )
        assert status == 422 and field.name.errors == ["Too long."]
        assert get_flashed_messages() == []
    assert _name_of(user.id) == "Before"
