"""The admin's audit trail (crm/admin/audit.py): admins read every event, newest first and
in their language; nobody can change one through it."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest

from crm.extensions import db
from crm.loans.services.lifecycle import write_off_loan
from crm.models import AuditEvent
from tests import factories
from tests.admin.pages import listed
from tests.audit.conftest import all_events

AUDIT = "/admin/audit/"
UKRAINIAN = {"Accept-Language": "uk"}
#: The details link of each row, in the list's order.
DETAILS_LINK = re.compile(r'href="/admin/audit/details/\?id=(\d+)')


def listed_ids(html: str) -> list[int]:
    return [int(number) for number in DETAILS_LINK.findall(html)]


def text_of(html: str) -> str:
    """The page's text, tags and runs of spaces left out."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def changes_rows(html: str) -> dict[str, tuple[str, str, str]]:
    """The details page's changes table: {field: (label, before, after)}."""
    rows = re.findall(
        r'<tr data-field="(\w+)">\s*<th scope="row">(.*?)</th>\s*'
        r'<td class="crm-before">(.*?)</td>\s*<td class="crm-after">(.*?)</td>',
        html,
        re.S,
    )
    return {
        name: (unescape(label), unescape(before), unescape(after))
        for name, label, before, after in rows
    }


def details(client, event: AuditEvent, headers: dict | None = None) -> str:
    response = client.get(f"{AUDIT}details/", query_string={"id": event.id}, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- Who may read it ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [AUDIT, f"{AUDIT}details/?id=1"])
def test_anonymous_visitor_is_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("who", ["manager", "customer_user"])
@pytest.mark.parametrize("path", [AUDIT, f"{AUDIT}details/?id=1"])
def test_only_admins_read_the_trail(client, login, request, who, path):
    login(request.getfixturevalue(who))
    assert client.get(path).status_code == 403


def test_admin_finds_the_trail_on_the_start_page_with_nothing_to_add(admin_client):
    html = admin_client.get("/admin/").get_data(as_text=True)
    assert f'href="{AUDIT}"' in html
    assert f'href="{AUDIT}new/"' not in html


def test_manager_is_not_shown_the_trail(client, login, manager):
    login(manager)
    assert f'href="{AUDIT}"' not in client.get("/admin/").get_data(as_text=True)


# --- Nobody changes it ----------------------------------------------------------------------


def test_the_trail_has_no_route_that_takes_a_post(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(AUDIT)]
    assert {rule.endpoint.split(".")[1] for rule in rules} >= {"index_view", "details_view"}
    assert [rule.rule for rule in rules if "POST" in rule.methods] == []


@pytest.mark.parametrize(
    "path", ["", "new/", "edit/?id=1", "delete/", "action/", "ajax/update/", "details/?id=1"]
)
def test_a_post_to_the_trail_is_refused_and_changes_nothing(admin_client, path):
    before = [(event.id, event.action, event.changes) for event in all_events()]
    data = {"id": "1", "action": "delete", "rowid": "1", "list_form_pk": "1", "actor": "x"}

    response = admin_client.post(f"{AUDIT}{path}", data=data)

    assert response.status_code in (404, 405)
    assert [(event.id, event.action, event.changes) for event in all_events()] == before


def test_no_page_offers_a_change(admin_client):
    factories.CustomerFactory()
    assert admin_client.get(f"{AUDIT}new/").status_code == 404
    assert admin_client.get(f"{AUDIT}edit/?id=1").status_code == 404
    html = listed(admin_client, "audit")
    page = details(admin_client, all_events()[-1])
    for offered in ("/admin/audit/new/", "/admin/audit/edit/", "/admin/audit/delete/"):
        assert offered not in html + page
    # Flask-Admin's forms (delete, actions) post in capitals; the menu's log-out does not.
    assert 'method="POST"' not in html + page
    assert "action-checkbox" not in html
    assert "action_form" not in html


# --- The list -------------------------------------------------------------------------------


def test_the_list_is_newest_first_and_never_counts(admin_client, count_queries):
    factories.CustomerFactory.create_batch(3)
    newest_first = sorted((event.id for event in all_events()), reverse=True)

    with count_queries() as log:
        html = listed(admin_client, "audit")

    assert listed_ids(html) == newest_first
    assert not log.counting


def test_the_list_pages_twenty_five_at_a_time(admin_client):
    factories.CustomerFactory.create_batch(30)
    first, second = listed(admin_client, "audit"), listed(admin_client, "audit", page=1)
    assert len(listed_ids(first)) == 25
    assert listed_ids(second) == sorted(listed_ids(second), reverse=True)
    assert max(listed_ids(second)) < min(listed_ids(first))


def test_a_row_reads_in_the_users_language_and_time_zone(admin_client, clock):
    clock.now = datetime(2025, 3, 9, 10, 30, tzinfo=UTC)  # 12:30 in Kyiv
    customer = factories.CustomerFactory()

    english = text_of(listed(admin_client, "audit"))
    ukrainian = text_of(admin_client.get(AUDIT, headers=UKRAINIAN).get_data(as_text=True))

    assert f"12:30 PM System Created Customer #{customer.id} #{customer.id}" in english.replace(
        "\u202f", " "
    )
    assert f"09.03.2025, 12:30 Система Створено Клієнт #{customer.id}" in ukrainian


def test_rows_link_to_the_records_pages(admin_client, active):
    html = listed(admin_client, "audit")
    assert f'<a href="/loans/{active.id}">Loan #{active.id}</a>' in html
    assert f'<a href="/customers/{active.customer_id}">#{active.customer_id}</a>' in html
    # An installment is shown on its loan's page; a product in the admin.
    [installment] = all_events(entity="installment")[:1]
    assert f'<a href="/loans/{active.id}">Installment #{installment.entity_id}</a>' in html
    assert f'<a href="/admin/product/details/?id={active.product_id}">Product #' in html


def test_filters_by_actor_kind_of_record_action_and_date(admin_client, admin_user, clock):
    clock.now = datetime(2025, 3, 9, 10, 0, tzinfo=UTC)
    customer = factories.CustomerFactory()
    clock.now = datetime(2025, 4, 9, 10, 0, tzinfo=UTC)
    factories.ProductFactory()
    customer.phone = "+380677654321"
    db.session.commit()
    events = {(event.entity, event.action): event.id for event in all_events()}
    admin_log_in = events["user", "log_in"]

    def ids(**query) -> set[int]:
        return set(listed_ids(listed(admin_client, "audit", **query)))

    assert ids(flt0_who_equals=admin_user.email.upper()) == {admin_log_in}
    assert ids(flt0_kind_of_record_equals="customer") == {
        events["customer", "create"],
        events["customer", "update"],
    }
    assert ids(flt0_action_equals="update") == {events["customer", "update"]}
    assert ids(flt0_when_smaller_than="2025-03-31 00:00:00") == {events["customer", "create"]}
    assert ids(flt0_when_between="2025-04-01 00:00:00 to 2025-04-30 00:00:00") == {
        events["product", "create"],
        events["customer", "update"],
    }
    assert ids(flt0_action_equals="update", flt1_when_greater_than="2025-05-01 00:00:00") == set()


def test_a_filter_on_nothing_it_knows_is_ignored(admin_client):
    factories.CustomerFactory()
    everything = listed_ids(listed(admin_client, "audit"))
    assert listed_ids(listed(admin_client, "audit", flt0_action_equals="no_such")) == everything
    assert listed(admin_client, "audit", flt0_who_equals="a\x00b").count("<tr") >= 1


# --- One event ------------------------------------------------------------------------------


def test_details_show_an_edit_field_by_field_in_each_language(admin_client):
    customer = factories.CustomerFactory(phone="+380501234567", address="Київ, вул. Хрещатик, 1")
    customer.phone, customer.address = "+380677654321", None
    db.session.commit()
    [event] = all_events(entity="customer", action="update")

    english, ukrainian = details(admin_client, event), details(admin_client, event, UKRAINIAN)

    assert changes_rows(english) == {
        "phone": ("Phone", "+380501234567", "+380677654321"),
        "address": ("Address", "Київ, вул. Хрещатик, 1", "—"),
    }
    assert changes_rows(ukrainian)["phone"] == ("Телефон", "+380501234567", "+380677654321")
    assert "Updated" in text_of(english)
    assert "Змінено" in text_of(ukrainian)


def test_details_of_a_new_record_show_only_its_values(admin_client, active):
    [created] = all_events(entity="loan", action="create")
    rows = changes_rows(details(admin_client, created, UKRAINIAN))
    assert rows["status"] == ("Статус", "", "На розгляді")
    assert rows["amount"] == ("Сума", "", "10000.00")


def test_statuses_are_shown_by_their_labels(admin_client, active, admin_user):
    write_off_loan(db.session, active, reason="Uncollectable", by=admin_user)
    db.session.commit()
    [event] = all_events(action="write_off", entity="loan")

    english, ukrainian = details(admin_client, event), details(admin_client, event, UKRAINIAN)

    assert changes_rows(english)["status"] == ("Status", "Active", "Written off")
    assert changes_rows(ukrainian)["status"] == ("Статус", "Активний", "Списано")
    assert changes_rows(english)["written_off_by_id"] == ("Written off by", "—", str(admin_user.id))
    assert "Written off" in text_of(english)


def test_a_password_is_shown_only_as_changed(admin_client, manager):
    manager.set_password("Another-Good-Passphrase-7")
    db.session.commit()
    [event] = all_events(entity="user", action="update")

    assert changes_rows(details(admin_client, event))["password_hash"] == (
        "Password",
        "",
        "changed (not shown)",
    )
    ukrainian = changes_rows(details(admin_client, event, UKRAINIAN))["password_hash"]
    assert ukrainian == ("Пароль", "", "змінено (не показано)")


def test_a_security_event_shows_its_facts(app, admin_client, manager):
    stranger = app.test_client()
    stranger.post("/auth/login", data={"email": manager.email, "password": "not-the-password"})
    [failed] = all_events(action="log_in_failed")

    page = details(admin_client, failed, UKRAINIAN)

    assert changes_rows(page)["email"] == ("Ел. пошта", "", manager.email)
    assert changes_rows(page)["reason"] == ("Причина", "", "Неправильний пароль")
    assert "Невдалий вхід" in text_of(page)
    assert "Анонімний відвідувач" in text_of(page)
