"""The layout's navbar, kept per language, role and section (crm/navbar.py): every request
still gets its own user's name, CSRF token, path and count of tasks due."""

import re

from crm.models import Role
from tests import factories
from tests.conftest import PASSWORD, csrf_token

ACTIVE_LINK = re.compile(r'<a class="nav-link active"\s+href="([^"]+)"')
NEXT_PATH = re.compile(r'<input type="hidden" name="next" value="([^"]*)">')
USER_MENU = re.compile(r'<i class="bi bi-person-circle"></i> ([^<]*)</button>')


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_each_user_sees_their_own_name_written_as_text(logged_in):
    ann = factories.UserFactory(full_name="<b>Ann & Co</b>")
    bohdan = factories.UserFactory(full_name="Bohdan")
    browsers = {"ann": logged_in(ann), "bohdan": logged_in(bohdan)}

    names = [
        (who, USER_MENU.findall(page(browsers[who], "/products/")))
        for who in ("ann", "bohdan", "ann", "bohdan")
    ]

    ann_menu, bohdan_menu = ["&lt;b&gt;Ann &amp; Co&lt;/b&gt;"], ["Bohdan"]
    assert names == [
        ("ann", ann_menu),
        ("bohdan", bohdan_menu),
        ("ann", ann_menu),
        ("bohdan", bohdan_menu),
    ]


def test_the_language_switch_comes_back_to_the_page_it_is_on(staff_client):
    for path in ("/customers/", "/customers/?sort=name&q=%3Cb%3E", "/products/"):
        html = page(staff_client, path)
        assert NEXT_PATH.findall(html) == [path.replace("&", "&amp;")]
        assert "\x00" not in html


def test_the_menu_marks_the_section_of_the_page(staff_client, customer_user, logged_in):
    assert ACTIVE_LINK.findall(page(staff_client, "/products/")) == ["/products/"]
    assert ACTIVE_LINK.findall(page(staff_client, "/customers/?sort=name")) == ["/customers/"]
    assert ACTIVE_LINK.findall(page(staff_client, "/")) == ["/"]

    customer = logged_in(customer_user)
    assert ACTIVE_LINK.findall(page(customer, "/account/")) == ["/account/"]
    assert ACTIVE_LINK.findall(page(customer, "/account/profile")) == ["/account/profile"]


def test_each_user_reads_the_navbar_in_their_own_language(logged_in):
    english = factories.UserFactory(locale="en")
    ukrainian = factories.UserFactory(locale="uk")

    for _ in range(2):
        assert "Log out</button>" in page(logged_in(english), "/products/")
        assert "Вийти</button>" in page(logged_in(ukrainian), "/products/")


def test_staff_and_customers_get_their_own_menus(logged_in, customer_user):
    admin = factories.UserFactory(role=Role.ADMIN)

    staff_html = page(logged_in(admin), "/products/")
    customer_html = page(logged_in(customer_user), "/account/")

    assert 'id="navbar-search"' in staff_html
    assert 'href="/account/apply"' not in staff_html
    assert 'id="navbar-search"' not in customer_html
    assert 'href="/account/apply"' in customer_html


def test_the_navbar_forms_carry_a_token_that_logs_out(build_app, app, manager):
    client = build_app(WTF_CSRF_ENABLED=True).test_client()
    login_page = client.get("/auth/login").get_data(as_text=True)
    form = {"email": manager.email, "password": PASSWORD, "csrf_token": csrf_token(login_page)}
    assert client.post("/auth/login", data=form).status_code == 302
    client.get("/products/")

    token = csrf_token(page(client, "/products/"))
    response = client.post("/auth/logout", data={"csrf_token": token})

    assert response.status_code == 302
    assert client.get("/products/").status_code == 302, "logged out: sent to the log-in page"


ADMIN_ACTIVE_ITEM = re.compile(r'<li class="active">\s*<a class="nav-link " href="([^"]+)"')


def test_the_admins_menu_is_each_roles_and_marks_the_view_it_is_on(app, logged_in, manager):
    """Kept per language, role and view (crm.navbar.kept_menu); the manager's never lists the
    logins, the admin's does."""
    admin = logged_in(factories.UserFactory(role=Role.ADMIN))
    staff = logged_in(manager)
    assert not app.jinja_env.auto_reload, "with templates reloaded, nothing would be kept"

    for _ in range(2):
        for path in ("/admin/customer/", "/admin/loan/"):
            for browser, sees_logins in ((admin, True), (staff, False)):
                html = page(browser, path)
                assert ADMIN_ACTIVE_ITEM.findall(html) == [path]
                assert ('class="nav-link " href="/admin/user/"' in html) is sees_logins


def test_the_admins_user_menu_is_each_users_own(logged_in):
    """Kept per language (crm.navbar.admin_user_menu): the name and the path the language
    switch comes back to are the request's."""
    ann = factories.UserFactory(role=Role.ADMIN, full_name="<b>Ann & Co</b>")
    bohdan = factories.UserFactory(role=Role.MANAGER, full_name="Bohdan")
    browsers = {"ann": logged_in(ann), "bohdan": logged_in(bohdan)}

    for who, name in [("ann", "&lt;b&gt;Ann &amp; Co&lt;/b&gt;"), ("bohdan", "Bohdan")] * 2:
        for path in ("/admin/customer/", "/admin/loan/?sort=0"):
            html = page(browsers[who], path)
            assert USER_MENU.findall(html) == [name]
            assert NEXT_PATH.findall(html) == [path.replace("&", "&amp;")]
            assert "\x00" not in html
