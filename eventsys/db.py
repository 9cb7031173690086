"""Declarative base, naming convention and shared column types."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast

from sqlalchemy import JSON, CursorResult, DateTime, Enum, MetaData, Result, String, Table
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names keep Alembic migrations identical across SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC; refuses naive input so local times never slip in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone first")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_type(enum_class: type[enum.Enum], length: int = 20) -> Enum:
    """A portable enum column storing the members' values ('confirmed'), not their names, so
    SQL written by hand (partial indexes, reports) can use the same words as the code."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    if TYPE_CHECKING:
        # Every model maps one Table (SQLAlchemy types it as any FromClause): Core statements
        # such as `Model.__table__.insert()` type-check.
        __table__: ClassVar[Table]

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            datetime: UTCDateTime(),
            dict[str, Any]: JSON(),
            list[Any]: JSON(),
            str: String(255),
        },
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched. Session.execute() is typed as returning a Result;
    for those statements it is a CursorResult, which is what carries the count."""
    return cast(CursorResult[Any], result).rowcount
