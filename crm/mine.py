"""The "mine" toggle of the staff lists (the dashboard, the customers, …): ?mine=1 narrows a
list to what the logged-in staff member manages (Customer.manager_id)."""

from flask import request
from flask_login import current_user

#: The value of ?mine= that turns the filter on; anything else leaves it off.
ON = "1"


def mine_arg() -> bool:
    """Whether ?mine=1 asks for the current user's own customers only."""
    return request.args.get("mine") == ON


def mine_manager_id() -> int | None:
    """The manager a list is narrowed to by ?mine=1 (the current user), or None for all."""
    return current_user.id if mine_arg() else None
