"""A walk through the pages a logged-in client can reach by following links.

From the start pages, the walk follows every local link it is given (a couple of pages of
each shape: /customers/1 and /customers/2, not all of them), and hands each HTML page to
the test's own reader.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

#: Links that change something or leave the page's language behind.
NOT_FOLLOWED = re.compile(r"/logout|/language|/delete|/export|/static/|\?.*(page=[3-9]|page=\d\d)")
PAGES_OF_A_SHAPE = 2

Found = TypeVar("Found")


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def walk(
    client, starts: list[str], headers: dict, read: Callable[[str], tuple[Found, list[str]]]
) -> dict[str, Found]:
    """Visit the pages reachable from `starts`; `read(html)` gives what the test wants of a
    page and the links to follow from it. Returns what it gave, by URL."""
    pages: dict[str, Found] = {}
    per_shape: dict[str, int] = defaultdict(int)
    queue = list(starts)
    while queue:
        url = queue.pop(0)
        if url in pages or per_shape[shape(urlsplit(url).path)] >= PAGES_OF_A_SHAPE:
            continue
        response = client.get(url, headers=headers)
        assert response.status_code in (200, 302), f"{url}: {response.status_code}"
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        per_shape[shape(urlsplit(url).path)] += 1
        pages[url], links = read(response.get_data(as_text=True))
        for link in links:
            target = urlsplit(urljoin(f"http://localhost{url}", link))
            local = target.path + (f"?{target.query}" if target.query else "")
            if target.netloc == "localhost" and not NOT_FOLLOWED.search(local):
                queue.append(local)
    return pages
