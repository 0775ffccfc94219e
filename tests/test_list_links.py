"""The links of a list page to itself sorted, paged or downloaded (crm.templating.list_args)
carry the page's arguments on, but none that url_for() would take for its own."""

import re
from html import unescape

import pytest

from tests import factories

PAGES = ["/customers/", "/loans/", "/loans/overdue", "/loans/payments/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("arguments", ["_method=POST", "endpoint=x", "_external=1", "_anchor=a"])
def test_arguments_url_for_would_take_do_not_break_the_page(staff_client, path, arguments):
    factories.CustomerFactory()
    response = staff_client.get(f"{path}?{arguments}&sort=-amount")
    assert response.status_code == 200
    links = re.findall(r'href="([^"]*export\.csv[^"]*)"', response.get_data(as_text=True))
    assert len(links) == 1
    assert links[0].startswith(f"{path.rstrip('/')}/export.csv")
    assert "sort=-amount" in unescape(links[0])
    assert arguments.split("=")[0] not in links[0]


def test_the_download_links_carry_the_filters_but_not_the_page(staff_client):
    html = staff_client.get("/loans/?status=active&q=%D0%91&page=1&mine=1").get_data(as_text=True)
    links = {unescape(link) for link in re.findall(r'href="(/loans/export\.[^"]+)"', html)}
    assert links == {
        f"/loans/export.{file_format}?status=active&q=%D0%91&mine=1"
        for file_format in ("csv", "xlsx")
    }
