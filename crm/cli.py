"""Command-line tools: `flask --app wsgi users …`, `flask --app wsgi demo …`."""

import click
from flask import Flask
from flask.cli import AppGroup

from crm.auth.services import create_user
from crm.extensions import db
from crm.models import Customer, Role
from crm.validation import FieldError

users = AppGroup("users", help="Manage logins.")
demo = AppGroup("demo", help="Demo data for trying the CRM and for benchmarks.")


@users.command("create")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    required=True,
    help="What the login may do.",
)
@click.option("--name", "full_name", default="", help="Full name shown in the navbar.")
@click.option(
    "--customer",
    "customer_id",
    type=int,
    help="Customer record a customer login belongs to.",
)
@click.password_option(help="Prompted for (twice) when not given; can be piped in.")
def create_user_command(
    email: str, role: str, full_name: str, customer_id: int | None, password: str
) -> None:
    """Create a login; the password is prompted for, or read from standard input."""
    customer = None
    if customer_id is not None:
        customer = db.session.get(Customer, customer_id)
        if customer is None:
            raise click.BadParameter(f"no customer with id {customer_id}", param_hint="--customer")
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
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


@demo.command("load")
@click.option(
    "--customers",
    "customer_count",
    type=click.IntRange(1, 1_000_000),
    default=200,
    show_default=True,
    help="How many customers to create (about three loans each).",
)
def load_demo_command(customer_count: int) -> None:
    """Load deterministic demo data: products, staff, customers and loans in every status."""
    from crm.demo import DemoAlreadyLoaded, load_demo

    try:
        summary = load_demo(db.session, customers=customer_count)
    except DemoAlreadyLoaded as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(summary.describe())


def register(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo)
