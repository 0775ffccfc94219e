"""What the admin tests post to its forms, and how they read its pages back."""

import re
from html import unescape

from flask.testing import FlaskClient
from sqlalchemy import func, select

from crm.extensions import db


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def listed(client: FlaskClient, view: str, **query) -> str:
    """The list page of the admin view `view`, searched or filtered by `query`."""
    return client.get(f"/admin/{view}/", query_string=query).get_data(as_text=True)


def field_block(html: str, name: str) -> str:
    """The form-group of the field called `name` in a Flask-Admin form."""
    for block in html.split('<div class="form-group')[1:]:
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name!r} in the form")


def field_errors(html: str, name: str) -> list[str]:
    """The messages shown beside a field (Flask-Admin lists them under the input)."""
    block = field_block(html, name)
    feedback = re.search(r'<div class="invalid-feedback">(.*?)</div>', block, re.S)
    if not feedback:
        return []
    return [unescape(item.strip()) for item in re.findall(r"<li>(.*?)</li>", feedback[1], re.S)]


def assert_refused(response, field: str, message: str) -> None:
    """The form came back unsaved (422), with `message` in one of the errors beside `field`."""
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert any(message in error for error in field_errors(html, field)), field_errors(html, field)


def flashes(html: str) -> str:
    return unescape(" ".join(re.findall(r'<div class="alert[^"]*">(.*?)</div>', html, re.S)))


def customer_form(**changes) -> dict:
    return {
        "last_name": "  Коваль ",
        "first_name": "Олена",
        "patronymic": "",
        "phone": "050 123 45 67",
        "email": "",
        "birth_date": "1990-05-17",
        "tax_id": "",
        "address": "",
        "manager": "__None",
        **changes,
    }


def product_form(**changes) -> dict:
    return {
        "name": "Автокредит",
        "annual_rate": "13.9",
        "category": "secured",
        "description": "",
        "min_amount": "10000",
        "max_amount": "1000000",
        "min_term": "6",
        "max_term": "84",
        "repayment_method": "annuity",
        "active": "y",
        **changes,
    }


def loan_form(borrower, offer, **changes) -> dict:
    return {
        "customer": borrower.id,
        "product": offer.id,
        "amount": "5000",
        "term_months": "12",
        **changes,
    }


def user_form(**changes) -> dict:
    return {
        "email": "New.Manager@Example.com",
        "full_name": "Нова Менеджерка",
        "role": "manager",
        "active": "y",
        "customer": "",
        "password": "long-enough-secret",
        **changes,
    }
