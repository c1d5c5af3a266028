"""Reading in a worker, then handing the result to the screen: the one way screens
do it, and the paging of the lists that hold one page (the queue, the SLA board).

A `Loader` runs a read (or a use case) in a thread worker of its node, as
`@work(thread=True, exclusive=True, exit_on_error=False, group=...)` would. The
worker touches no widget: it posts the value, or the refusal, to the node's own
message queue (a callback event), and the callback shows it on the UI thread.
Only the newest load counts, so a slow read that a newer one superseded never
overwrites it; a node that is gone by then gets nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from textual.dom import DOMNode

from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.queue import PageCursor, PageDirection, PageRequest
from mesa_tui.services.errors import SessionEnded
from mesa_tui.widgets.paging import PagedList, PagedRow

T = TypeVar("T")

# What a use case's unexpected failure (a bug, not a refusal) tells the user.
UNEXPECTED = "Error inesperado: {}"
# The app's exit code when the services ended the session (the agent was deactivated).
SESSION_ENDED = 3

Failed = Callable[[DeskError], None]


class Loader(Generic[T]):
    """Reads for `node` in the worker group `group`, one read at a time.

    A failure reaches `failed` as a `DeskError`: the refusal itself (a
    service's, or the store's: a busy or unreachable database), or any other
    exception as one whose message is `unexpected` filled with it. With
    `latest_only=False` every load is delivered until `drop()` (reads of
    different things, kept as they come, such as the years of the indicators).
    """

    def __init__(
        self,
        node: DOMNode,
        group: str,
        failed: Failed | None = None,
        *,
        unexpected: str = "{}",
        latest_only: bool = True,
    ) -> None:
        self.node = node
        self.group = group
        self.failed = failed
        self.unexpected = unexpected
        self.latest_only = latest_only
        self._ticket = 0  # the loads that still count carry this number
        self._delivered = -1  # the ticket of the last value delivered

    @property
    def fresh(self) -> bool:
        """Whether the newest load's value has been delivered."""
        return self._delivered == self._ticket

    def load(self, read: Callable[[], T], done: Callable[[T], None], failed: Failed | None = None) -> None:
        """Run `read()` in a worker; `done(value)` with what it returns."""
        self.stream(lambda: iter((read(),)), done, failed)

    def stream(self, read: Callable[[], Iterator[T]], each: Callable[[T], None], failed: Failed | None = None) -> None:
        """Run `read()` in a worker; `each(value)` for every value it yields, as it
        yields it (the rows first, then what takes longer to work out)."""
        if self.latest_only:
            self._ticket += 1
        self.node.run_worker(
            partial(self._run, self._ticket, read, each, failed or self.failed),
            thread=True,
            exclusive=True,
            exit_on_error=False,
            group=self.group,
        )

    def drop(self) -> None:
        """What the loads under way bring no longer counts."""
        self._ticket += 1

    def _run(
        self, ticket: int, read: Callable[[], Iterator[T]], each: Callable[[T], None], failed: Failed | None
    ) -> None:
        # In the worker thread: no widgets here, only messages to the node.
        try:
            for value in read():
                self.node.call_later(self._deliver, ticket, each, value)
        except SessionEnded as exc:
            # The account can no longer act: no screen may go on showing the desk.
            app = self.node.app
            app.call_later(app.exit, return_code=SESSION_ENDED, message=exc.message)
        except DeskError as exc:  # a refusal: its sentence is for the user
            self._fail(ticket, failed, exc)
        except Exception as exc:  # a bug: tell, don't crash
            self.node.log.error(f"{self.group} failed: {exc!r}")
            self._fail(ticket, failed, DeskError(self.unexpected.format(exc)))

    def _fail(self, ticket: int, failed: Failed | None, error: DeskError) -> None:
        if failed is not None:
            self.node.call_later(self._deliver_failure, ticket, failed, error)

    def _deliver(self, ticket: int, each: Callable[[T], None], value: T) -> None:
        if ticket == self._ticket:
            self._delivered = ticket
            each(value)

    def _deliver_failure(self, ticket: int, failed: Failed, error: DeskError) -> None:
        if ticket == self._ticket:
            failed(error)


class Page(Protocol):
    """A page of a paged list, as the services return it (QueuePage, SlaBoardPage)."""

    @property
    def rows(self) -> tuple[PagedRow, ...]: ...

    @property
    def has_before(self) -> bool: ...

    @property
    def has_after(self) -> bool: ...

    @property
    def request(self) -> PageRequest: ...

    @property
    def first(self) -> PageCursor | None: ...

    @property
    def last(self) -> PageCursor | None: ...


P = TypeVar("P", bound=Page)

# Reads a page: (the request, the ticket to keep the cursor on, where the cursor goes: "top", "bottom" or None).
PageLoad = Callable[[PageRequest, int | None, str | None], None]


class Pager(Generic[P]):
    """The screen side of a paged list (the queue, the SLA board): which page to
    read for a key or a refresh, and what a page that arrives means.

    The screen reads with `read(request, keep_id, at)` (in a Loader) and hands
    each page it gets to `arrived`, which says whether to show it. `total()` is
    how many rows the whole list has, when known, for the number of the last page.
    """

    def __init__(self, table: Callable[[], PagedList[Any]], read: PageLoad, total: Callable[[], int | None]) -> None:
        self.table = table
        self.read = read
        self.total = total
        self.size = 0  # rows per page; 0 until the screen has fitted it
        self.page: P | None = None
        self.page_number: int | None = None

    def fit(self, chrome: int) -> bool:
        """Fit the page to the table's height (before the first layout, to the
        terminal's less `chrome` lines); whether the size changed."""
        table = self.table()
        height = table.size.height or (table.app.size.height - chrome)
        size = max(height - 1, 3)  # minus the header row
        changed = size != self.size
        self.size = size
        return changed

    def load(
        self,
        direction: PageDirection,
        cursor: PageCursor | None = None,
        keep_id: int | None = None,
        at: str | None = None,
    ) -> None:
        self.read(PageRequest(direction, cursor, max(self.size, 3)), keep_id, at)

    def refresh(self) -> None:
        """Read the page again from its first row, keeping the cursor on its ticket."""
        current = self.table().current
        keep_id = current.id if current else None
        page = self.page
        if page is None or not page.rows or not page.has_before:
            # On the first page what just came in (or fell due) must show up on top.
            self.load(PageDirection.FIRST, keep_id=keep_id)
        else:
            self.load(PageDirection.FROM, page.first, keep_id=keep_id)

    def turn(self, direction: PageDirection) -> None:
        """The table asked for another page (its edges, page keys, g and G)."""
        page = self.page
        if direction is PageDirection.AFTER:
            if page is not None and page.has_after:
                self.load(direction, page.last, at="top")
        elif direction is PageDirection.BEFORE:
            if page is not None and page.has_before:
                self.load(direction, page.first, at="bottom")
        elif direction is PageDirection.FIRST:
            self.load(direction, at="top")
        else:
            self.load(direction, at="bottom")

    def reset(self) -> None:
        """Another list (a tab): nothing on screen belongs to it yet."""
        self.page = None
        self.page_number = None

    def arrived(self, page: P, keep_id: int | None) -> bool:
        """Take in a page just read; False when it is not to be shown."""
        direction = page.request.direction
        if direction is PageDirection.FROM and not page.rows and page.has_before:
            # Every ticket from this page on left the list: show its last page.
            self.load(PageDirection.LAST, keep_id=keep_id, at="bottom")
            return False
        if direction in (PageDirection.AFTER, PageDirection.BEFORE) and not page.rows:
            return False  # nothing beyond the edge: stay where we are
        self.page = page
        if direction is PageDirection.FIRST or not page.has_before:
            self.page_number = 1
        elif direction is PageDirection.AFTER and self.page_number is not None:
            self.page_number += 1
        elif direction is PageDirection.BEFORE and self.page_number is not None:
            self.page_number = max(self.page_number - 1, 1)
        elif direction is PageDirection.LAST:
            self.page_number = self.pages()
        return True

    def pages(self) -> int | None:
        """How many pages the list has, when its total is known."""
        total = self.total()
        if total is None:
            return None
        size = self.page.request.size if self.page is not None else max(self.size, 3)
        return max(math.ceil(total / size), 1)

    def renumber_last(self) -> None:
        """The total changed: the last page's number with it."""
        if self.page is not None and self.page.request.direction is PageDirection.LAST:
            self.page_number = self.pages()
