"""Declarative base: constraint naming and the Python → SQL type map."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import DateTime, MetaData, Numeric
from sqlalchemy.orm import DeclarativeBase, registry

from crm.models.types import Money, Rate

#: Named constraints make Alembic migrations deterministic on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum_values(enum_class: type[enum.Enum]) -> list[str]:
    return [member.value for member in enum_class]


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            Money: Numeric(14, 2),
            Rate: Numeric(7, 4),
            # Enums are stored by value in a VARCHAR, so adding a member needs no ALTER TYPE.
            enum.Enum: sa.Enum(
                enum.Enum,
                native_enum=False,
                length=20,
                values_callable=_enum_values,
                validate_strings=True,
            ),
            datetime: DateTime(timezone=True),
        },
    )
