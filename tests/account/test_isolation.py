"""Who reaches the account, and what of it: each customer their own records only (another
customer's loan is not found, and nothing of it is shown); staff no page of it (403);
anonymous visitors are sent to log in (JSON clients get 401)."""

from urllib.parse import urlsplit

import pytest

from tests.loans.conftest import snapshot

#: Every page of the account, and every post; {loan} is a loan id.
PAGES = [
    "/account/",
    "/account/loans/{loan}",
    "/account/loans/{loan}/schedule.csv",
    "/account/apply",
    "/account/profile",
    "/account/preview?product=1&amount=5000&term_months=12",
]
POSTS = [
    "/account/loans/{loan}/withdraw",
    "/account/apply",
    "/account/profile",
    "/account/password",
]
#: The pages and posts about one loan.
LOAN_ROUTES = [
    ("get", "/account/loans/{loan}"),
    ("get", "/account/loans/{loan}/schedule.csv"),
    ("post", "/account/loans/{loan}/withdraw"),
]


#: What would give each customer's loans away in a page: their name, the product only the
#: other customer has, their payments' references (tests/account/conftest.py).
GIVEAWAYS = {"mine": ("Коваленко", "MINE-"), "theirs": ("Чужинець", "Чужий продукт", "THEIRS-")}


@pytest.mark.parametrize(("method", "route"), LOAN_ROUTES)
@pytest.mark.parametrize("which", ["current", "overdue", "finished", "pending", "refused"])
def test_a_customer_cannot_reach_anothers_loan(
    my_client, their_client, my_loans, their_loans, method, route, which
):
    for client, loans, owner in (
        (my_client, their_loans, "theirs"),
        (their_client, my_loans, "mine"),
    ):
        loan = getattr(loans, which)
        before = snapshot(loan.id)
        response = getattr(client, method)(
            route.format(loan=loan.id), data={"version": loan.version}
        )

        assert response.status_code == 404, (route, which)
        body = response.get_data(as_text=True)
        assert f"#{loan.id}" not in body
        for word in GIVEAWAYS[owner]:
            assert word not in body
        assert snapshot(loan.id) == before


@pytest.mark.parametrize(("method", "route"), LOAN_ROUTES)
def test_an_unknown_loan_is_not_found(my_client, my_loans, method, route):
    for loan_id in ("999999", "99999999999"):
        response = getattr(my_client, method)(route.format(loan=loan_id))
        assert response.status_code == 404


@pytest.mark.parametrize("which", ["current", "finished", "pending"])
def test_each_customer_reaches_their_own_loan(
    my_client, their_client, my_loans, their_loans, which
):
    for client, loans in ((my_client, my_loans), (their_client, their_loans)):
        loan = getattr(loans, which)
        assert client.get(f"/account/loans/{loan.id}").status_code == 200


@pytest.mark.parametrize("template", PAGES)
@pytest.mark.parametrize("staff", ["manager", "admin_user"])
def test_staff_get_403_on_every_account_page(client, login, request, my_loans, template, staff):
    login(request.getfixturevalue(staff))
    assert client.get(template.format(loan=my_loans.current.id)).status_code == 403


@pytest.mark.parametrize("template", POSTS)
def test_staff_get_403_on_every_account_post(staff_client, my_loans, template):
    before = snapshot(my_loans.pending.id)
    response = staff_client.post(
        template.format(loan=my_loans.pending.id), data={"version": my_loans.pending.version}
    )
    assert response.status_code == 403
    assert snapshot(my_loans.pending.id) == before


@pytest.mark.parametrize("template", PAGES + POSTS)
def test_anonymous_visitors_are_sent_to_log_in(client, my_loans, template):
    path = template.format(loan=my_loans.current.id)
    method = client.post if template in POSTS and template not in PAGES else client.get

    response = method(path)

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"


@pytest.mark.parametrize("template", PAGES)
def test_anonymous_json_clients_get_401(client, my_loans, template):
    response = client.get(
        template.format(loan=my_loans.current.id), headers={"Accept": "application/json"}
    )
    assert response.status_code == 401
    assert response.get_json() == {"error": "Authentication required."}


def test_customers_still_may_not_use_the_staffs_preview(my_client, product):
    response = my_client.get(
        "/loans/preview",
        query_string={"product": product.id, "amount": "5000", "term_months": "12", "loan": 1},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 403
