"""The one exception type services raise for a rule a user broke; views turn it into a message."""

from __future__ import annotations


class ServiceError(Exception):
    """A broken rule, with a message meant for the person who broke it.

    `field` names the form field or API field at fault; `status` is the HTTP status an API answer
    should carry (409 for conflicts with the current state, 422 for invalid values, 404, 403).
    """

    status = 422
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code


# Named after the HTTP status they carry, as werkzeug.exceptions names them; every one is a
# ServiceError, which says it is an error (hence no "Error" suffix: ruff N818 is silenced).
class NotFound(ServiceError):  # noqa: N818
    status = 404
    code = "not_found"


class Forbidden(ServiceError):  # noqa: N818
    status = 403
    code = "forbidden"


class Conflict(ServiceError):  # noqa: N818
    status = 409
    code = "conflict"
