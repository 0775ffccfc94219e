"""`flask --app wsgi users …`: logins."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.auth.services import create_user
from crm.extensions import db
from crm.i18n.commands import TranslatedOption, option
from crm.models import Customer, Role
from crm.validation import FieldError

users = AppGroup("users", help=_l("Manage logins."))


@users.command(
    "create", help=_l("Create a login; the password is prompted for, or read from standard input.")
)
@click.argument("email")
@option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    required=True,
    help=_l("What the login may do."),
)
@option("--name", "full_name", default="", help=_l("Full name shown in the navbar."))
@option(
    "--customer",
    "customer_id",
    type=int,
    help=_l("Customer record a customer login belongs to."),
)
@click.password_option(
    cls=TranslatedOption, help=_l("Prompted for (twice) when not given; can be piped in.")
)
def create_user_command(
    email: str, role: str, full_name: str, customer_id: int | None, password: str
) -> None:
    customer = None
    if customer_id is not None:
        customer = db.session.get(Customer, customer_id)
        if customer is None:
            raise click.BadParameter(
                _("no customer with id %(id)d", id=customer_id),
                param_hint="--customer",
            )
    try:
        user = create_user(
            db.session,
            email,
            password,
            Role(role),
            full_name=full_name,
            customer=customer,
        )
    except FieldError as error:
        raise click.BadParameter(error.message, param_hint=error.field) from None
    db.session.commit()
    click.echo(
        _(
            "Created %(role)s %(email)s (id %(id)d).",
            role=user.role.value,
            email=user.email,
            id=user.id,
        )
    )
