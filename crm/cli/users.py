"""`flask --app wsgi users …`: logins."""

from datetime import timedelta

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from crm.audit.recorder import add_event
from crm.auth.events import security_event
from crm.auth.services import create_user, deactivate_user, login_email, set_password
from crm.clock import utc_now
from crm.extensions import db
from crm.i18n.commands import TranslatedOption, option
from crm.links.services.tokens import prune_links
from crm.models import Customer, Role, User
from crm.second_factor.services import remove
from crm.sessions.services import prune_sessions
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


@users.command(
    "set-password",
    help=_l(
        "Set a login's password (prompted for, or read from standard input) and end all "
        "its sessions."
    ),
)
@click.argument("email")
@click.password_option(
    cls=TranslatedOption, help=_l("Prompted for (twice) when not given; can be piped in.")
)
def set_password_command(email: str, password: str) -> None:
    user = _login(email)
    try:
        ended = set_password(db.session, user, password)
    except FieldError as error:
        raise click.BadParameter(error.message, param_hint=error.field) from None
    security_event("password_changed", user_id=user.id, email=user.email, by="system")
    db.session.commit()
    click.echo(
        ngettext(
            "New password set for %(email)s; %(num)d session ended.",
            "New password set for %(email)s; %(num)d sessions ended.",
            ended,
            email=user.email,
        )
    )


@users.command("deactivate", help=_l("Deactivate a login and end all its sessions."))
@click.argument("email")
def deactivate_command(email: str) -> None:
    user = _login(email)
    ended = deactivate_user(db.session, user)
    db.session.commit()
    click.echo(
        ngettext(
            "Deactivated %(email)s; %(num)d session ended.",
            "Deactivated %(email)s; %(num)d sessions ended.",
            ended,
            email=user.email,
        )
    )


@users.command(
    "remove-second-factor",
    help=_l("Turn off a login's second factor (a lost phone and lost recovery codes)."),
)
@click.argument("email")
def remove_second_factor_command(email: str) -> None:
    user = _login(email)
    if user.second_factor is None:
        click.echo(_("%(email)s has no second factor.", email=user.email))
        return
    remove(db.session, user)
    security_event("second_factor_removed", user_id=user.id, email=user.email, by="system")
    db.session.commit()
    click.echo(_("Removed the second factor of %(email)s.", email=user.email))


@users.command(
    "prune",
    help=_l(
        "Delete log-in sessions and e-mailed links that ended or expired more than DAYS days "
        "ago (cron, daily)."
    ),
)
@option(
    "--days",
    type=click.IntRange(1, 3650),
    default=30,
    show_default=True,
    help=_l("How long to keep them after they ended."),
)
def prune_command(days: int) -> None:
    before = utc_now() - timedelta(days=days)
    counts = {
        "user_sessions": prune_sessions(db.session, before=before),
        "one_time_links": prune_links(db.session, before=before),
    }
    # Both tables are outside the trail (crm/audit/registry.py): one event says how many went.
    add_event(db.session, action="prune", entity="maintenance", facts=counts)
    db.session.commit()
    click.echo(
        _(
            "Deleted %(sessions)d sessions and %(links)d links that ended before %(day)s.",
            sessions=counts["user_sessions"],
            links=counts["one_time_links"],
            day=before.date().isoformat(),
        )
    )


def _login(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == login_email(email)))
    if user is None:
        raise click.BadParameter(
            _("no login with the e-mail %(email)s", email=email), param_hint="EMAIL"
        )
    return user
