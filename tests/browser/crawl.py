"""Walk every page a signed-in person can reach by following links, so that a check run on each
(the phone width, axe) covers pages added later without anyone listing them.

Only same-origin GET links are followed, breadth first from the start page. Sign-out is a POST
form, never a link; downloads (CSV, PDF, JSON, calendar files) are not pages and are left out.
To keep the walk short, URLs are grouped by shape (the path with every number as one, the query
string left out): at most `per_shape` pages of each shape are visited, so ten families' pages
cost what two do, and a list's filters and sort orders what the list does.
"""

import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

DOWNLOAD = re.compile(r"\.(csv|pdf|json|ics)$")
NOT_FOLLOWED = re.compile(r"/logout/")
LINKS_JS = "els => els.filter(e => !e.hasAttribute('download')).map(e => e.href)"


def shape(path_and_query: str) -> str:
    """'/families/12/adults/3/edit/?page=2' -> '/families/N/adults/N/edit/'."""
    return re.sub(r"\d+", "N", urlsplit(path_and_query).path)


@dataclass
class Walk:
    origin: str
    per_shape: int = 2
    limit: int = 150
    visited: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # not walked: the limit was reached
    _seen: set[str] = field(default_factory=set)
    _shapes: Counter = field(default_factory=Counter)

    def local(self, url: str) -> str | None:
        """The link as a path and query when it is ours and worth visiting, else None."""
        url, _ = urldefrag(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin or NOT_FOLLOWED.search(parts.path):
            return None
        query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
        return parts.path + ("?" + query if query else "")

    def pages(self, page, *starts: str) -> Iterator[str]:
        """Go to each page reachable from the starts in turn and yield its path once it has
        loaded; the caller checks the page before the walk moves on."""
        queue = deque(starts)
        self._seen.update(starts)
        while queue and len(self.visited) < self.limit:
            path = queue.popleft()
            if path in self.visited:
                continue  # reached before under another address, then redirected here
            if DOWNLOAD.search(urlsplit(path).path):
                self.downloads.append(path)
                continue
            try:
                response = page.goto(path)
            except Exception as exc:  # a link that answers with a file, not a page
                if "Download is starting" not in str(exc):
                    raise
                self.downloads.append(path)
                continue
            if response is None or not response.ok:
                self.errors[path] = response.status if response else 0
                continue
            landed = self.local(page.url) or path
            if landed in self.visited:
                continue  # a redirect to a page already walked ("/" to the start page)
            self.visited.append(landed)
            self._seen.add(landed)
            yield landed
            for href in page.eval_on_selector_all("a[href]", LINKS_JS):
                found = self.local(href)
                if found is None or found in self._seen:
                    continue
                self._seen.add(found)
                if self._shapes[shape(found)] < self.per_shape:
                    self._shapes[shape(found)] += 1
                    queue.append(found)
        self.left = list(queue)
