"""The templates' url_for (crm.templating.kept_url_for): the layout's addresses it keeps are
the ones Flask builds, for the path the app is mounted at; addresses with values are built."""

import re

from flask import render_template_string, url_for


def test_kept_addresses_are_flasks_own(app):
    template = (
        "{{ url_for('customers.index') }} {{ url_for('static', filename='css/crm.css') }} "
        "{{ url_for('admin.static', filename='admin/js/helpers.js', v='1.0.0') }}"
    )
    for _ in range(2):
        with app.test_request_context("/"):
            assert render_template_string(template) == " ".join(
                [
                    url_for("customers.index"),
                    url_for("static", filename="css/crm.css"),
                    url_for("admin.static", filename="admin/js/helpers.js", v="1.0.0"),
                ]
            )


def test_an_app_mounted_under_a_path_gets_its_own_addresses(app):
    template = "{{ url_for('customers.index') }}"
    with app.test_request_context("/"):
        at_root = render_template_string(template)
    with app.test_request_context("/", base_url="http://localhost/crm/"):
        mounted = render_template_string(template)

    assert (at_root, mounted) == ("/customers/", "/crm/customers/")


def test_addresses_with_values_are_built_each_time(app):
    template = "{{ url_for('customers.detail', customer_id=n) }}"
    with app.test_request_context("/"):
        built = [render_template_string(template, n=n) for n in (1, 2)]

    assert built == ["/customers/1", "/customers/2"]


def test_every_page_writes_the_layouts_kept_addresses(staff_client):
    html = staff_client.get("/products/").get_data(as_text=True)

    assert re.search(r'href="/static/css/crm\.css', html)
    assert 'href="/customers/"' in html


def test_the_admins_styles_and_scripts_keep_their_versions(admin_client):
    """Flask-Admin's addresses of its files, through templates/admin/static.html."""
    html = admin_client.get("/admin/customer/").get_data(as_text=True)

    assert re.search(r'src="/admin/static/admin/js/helpers\.js\?v=1\.0\.0"', html)
