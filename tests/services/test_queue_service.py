"""The queue's reads: keyset paging against a brute-force order, views, filters,
the capped count, and the optional trigram index."""

from __future__ import annotations

import pytest

from mesa_tui.domain.queue import (
    PRIORITY_RANK,
    STATUS_RANK,
    PageDirection,
    PageRequest,
    QueueQuery,
    QueueView,
    SortKey,
)
from mesa_tui.domain.vocab import Priority, Status
from mesa_tui.services.queue import QueueService
from mesa_tui.store import queue_repo
from tests.support import actor_of, system_of

SUBJECTS = ("Impresora sin tóner", "No abre Outlook", "VPN no conecta", "Pantalla parpadea", "Crear usuario")
REQUESTERS = ("Ana Díaz", "Luis Torres", "Óscar Vargas", "Paola Herrera", "Jorge Castro")
SERVICES = ("SER-001", "SER-004", "SER-009", "SER-016", "SER-025")


@pytest.fixture
def queue_data(desk, now, log):
    """37 tickets in every open status (and some closed), held by several agents."""
    agents = [actor_of(desk, login) for login in ("jperez", "lmarrugo", "hbarrios")]
    made = []
    for i in range(37):
        now.advance(minutes=13)
        t = log(
            by="supervisor",
            subject=f"{SUBJECTS[i % 5]} {i:02d}",
            requester_name=REQUESTERS[(i * 3) % 5],
            service_code=SERVICES[(i * 7) % 5],
            impact=1 + i % 3,
            urgency=1 + (i // 3) % 3,
        )
        if i % 4:
            who = agents[i % 3]
            desk.take(who, t.id)
            if i % 4 == 2:
                desk.wait(who, t.id, "Esperando al usuario")
            elif i % 4 == 3 and i % 8 == 3:
                desk.resolve(who, t.id, "Listo", "remoto")
                if i % 16 == 3:
                    desk.close(who, t.id)
        made.append(t.id)
    now.advance(hours=2)
    return [desk.get(system_of(desk), i) for i in made]


def sort_value(info, key: SortKey):
    return {
        # Running tickets first, then the paused ones (en espera), each by due time.
        SortKey.DUE: (info.status == Status.EN_ESPERA.value, info.due_at),
        SortKey.CODE: info.code,
        SortKey.SUBJECT: info.subject,
        SortKey.REQUESTER: info.requester_name,
        SortKey.SERVICE: info.service_code,
        SortKey.PRIORITY: PRIORITY_RANK[info.priority],
        SortKey.STATUS: STATUS_RANK[info.status],
        SortKey.AGENT: info.agent_name or "",
    }[key]


def expected(infos, q: QueueQuery, actor) -> list[int]:
    statuses = {s.value for s in q.statuses}
    rows = [i for i in infos if i.status in statuses]
    if q.view is QueueView.MINE:
        rows = [i for i in rows if i.agent_id == actor.id]
    elif q.view is QueueView.UNASSIGNED:
        rows = [i for i in rows if i.agent_id is None]
    elif q.view is QueueView.GROUP:
        rows = [i for i in rows if i.group_id == actor.group_id]
    if q.priority:
        rows = [i for i in rows if i.priority == q.priority.value]
    if q.service_code:
        rows = [i for i in rows if i.service_code == q.service_code]
    if q.level:
        rows = [i for i in rows if i.level == q.level]
    if q.text:
        t = q.text.lower()
        rows = [i for i in rows if t in i.subject.lower() or t in i.requester_name.lower()]
    ordered = sorted(rows, key=lambda i: (sort_value(i, q.sort), i.id), reverse=q.descending)
    return [i.id for i in ordered]


def walk(service, actor, q, size):
    """Every page forwards from the first, then backwards from the last."""
    forward, page = [], service.page(actor, q, PageRequest(PageDirection.FIRST, size=size))
    while True:
        assert len(page.rows) <= size
        forward += [r.id for r in page.rows]
        if not page.has_after:
            break
        page = service.page(actor, q, PageRequest(PageDirection.AFTER, page.last, size))
    backward, page = [], service.page(actor, q, PageRequest(PageDirection.LAST, size=size))
    while True:
        # Reaching the top shows a full first page, which may overlap the one after it.
        backward = [r.id for r in page.rows if r.id not in backward] + backward
        if not page.has_before:
            assert len(page.rows) == min(size, len(backward))
            break
        page = service.page(actor, q, PageRequest(PageDirection.BEFORE, page.first, size))
    return forward, backward


def test_keyset_paging_matches_a_full_sort(db, desk, now, queue_data):
    service = QueueService(db, now=now)
    actor = actor_of(desk, "supervisor")
    for sort in SortKey:
        for descending in (False, True):
            q = QueueQuery(sort=sort, descending=descending)
            want = expected(queue_data, q, actor)
            assert len(want) > 20
            forward, backward = walk(service, actor, q, size=6)
            assert forward == want, q
            assert backward == want, q


def test_paused_tickets_sort_after_the_running_ones(db, desk, now, queue_data):
    """A paused ticket's due time is stale (long past, in this data): in the due order
    it follows every running ticket instead of leading the overdue, both ways."""
    service = QueueService(db, now=now)
    actor = actor_of(desk, "supervisor")
    q = QueueQuery(sort=SortKey.DUE)
    infos = {i.id: i for i in queue_data}
    paused_flags = [infos[i].status == Status.EN_ESPERA.value for i in expected(queue_data, q, actor)]
    first_paused = paused_flags.index(True)
    assert not any(paused_flags[:first_paused]) and all(paused_flags[first_paused:])
    running = [i for i in queue_data if i.status in {s.value for s in q.statuses} and i.status != Status.EN_ESPERA]
    waiting = [i for i in queue_data if i.status == Status.EN_ESPERA]
    assert min(i.due_at for i in waiting) < max(i.due_at for i in running)  # the stale case the order must fix
    for size in (1, 4, 7):
        forward, backward = walk(service, actor, q, size)
        assert forward == backward == expected(queue_data, q, actor)
    # A refresh from a paused row's cursor starts at that row.
    first = service.page(actor, q, PageRequest(PageDirection.FIRST, size=first_paused + 1)).rows[-1]
    assert first.status == Status.EN_ESPERA
    again = service.page(actor, q, PageRequest(PageDirection.FROM, first.cursor, size=3))
    assert again.rows[0].id == first.id and again.has_before


FILTERED = [
    QueueQuery(view=QueueView.MINE),
    QueueQuery(view=QueueView.UNASSIGNED),
    QueueQuery(view=QueueView.GROUP),
    QueueQuery(status=Status.EN_ESPERA),
    QueueQuery(status=Status.RESUELTO, sort=SortKey.SUBJECT),
    QueueQuery(status=Status.CERRADO),
    QueueQuery(priority=Priority.ALTA),
    QueueQuery(service_code="SER-009", descending=True),
    QueueQuery(level=1, sort=SortKey.AGENT),
    QueueQuery(text="outlook"),
    QueueQuery(text="ÓSCAR", sort=SortKey.PRIORITY),
    QueueQuery(view=QueueView.MINE, text="parpadea", sort=SortKey.STATUS, descending=True),
]


def test_views_and_filters(db, desk, now, queue_data):
    service = QueueService(db, now=now)
    actor = actor_of(desk, "jperez")
    for query in FILTERED:
        want = expected(queue_data, query, actor)
        assert want, f"the fixture has tickets for {query}"
        forward, backward = walk(service, actor, query, size=5)
        assert forward == backward == want, query
        assert service.count(actor, query).value == len(want), query


def test_a_code_finds_its_ticket_in_any_status(db, desk, now, queue_data):
    service = QueueService(db, now=now)
    closed = next(i for i in queue_data if i.status == "cerrado")
    page = service.page(
        actor_of(desk, "jperez"), QueueQuery(text=closed.code.lower(), status=Status.CERRADO), PageRequest()
    )
    assert [r.code for r in page.rows] == [closed.code]


def test_refresh_from_the_first_row_tops_up_a_shrunk_page(db, desk, now, queue_data):
    service = QueueService(db, now=now)
    supervisor = actor_of(desk, "supervisor")
    q = QueueQuery()
    first = service.page(supervisor, q, PageRequest(size=8))
    last = service.page(supervisor, q, PageRequest(PageDirection.LAST, size=8))
    again = service.page(supervisor, q, PageRequest(PageDirection.FROM, last.first, 8))
    assert [r.id for r in again.rows] == [r.id for r in last.rows]
    # Resolve the last page's first ticket: the page refreshed in place takes one from above.
    gone = last.rows[0]
    if gone.agent_id is None:
        desk.take(supervisor, gone.id)
    desk.resolve(supervisor, gone.id, "Listo", "remoto")
    refreshed = service.page(supervisor, q, PageRequest(PageDirection.FROM, last.first, 8))
    ids = [r.id for r in refreshed.rows]
    assert gone.id not in ids and len(ids) == 8 and ids[1:] == [r.id for r in last.rows[1:]]
    assert first.has_after and not first.has_before


def test_the_count_stops_at_the_cap(db, desk, queue_data):
    supervisor = actor_of(desk, "supervisor")
    with db.read() as s:
        assert queue_repo.count(s, QueueQuery(), supervisor.id, supervisor.group_id, cap=5) == (5, True)
        n = len(expected(queue_data, QueueQuery(), supervisor))
        assert queue_repo.count(s, QueueQuery(), supervisor.id, supervisor.group_id, cap=1000) == (n, False)


def test_the_page_carries_the_running_clock(db, desk, now, queue_data):
    service = QueueService(db, now=now)
    page = service.page(actor_of(desk, "supervisor"), QueueQuery(), PageRequest(size=50))
    sla = service.sla_context(system_of(service))
    for row in page.rows:
        info = next(i for i in queue_data if i.id == row.id)
        kind, clock = info.running_clock()
        assert (row.clock_kind, row.clock) == (kind, clock)
        view = sla.of(row, now())
        assert view.state == clock.state(sla.calendars[row.sla_calendar], now(), sla.risk)


@pytest.fixture
def text_index(db):
    if not db.is_sqlite:
        pytest.skip("the trigram index is SQLite FTS5")

    def create(s):
        for statement in queue_repo.FTS_DDL:
            s.connection().exec_driver_sql(statement)

    db.write(create)
    return db


def test_the_trigram_index_answers_like_the_scan(text_index, desk, now, queue_data, monkeypatch):
    db = text_index
    service = QueueService(db, now=now)
    actor = actor_of(desk, "supervisor")
    with db.read() as s:
        assert queue_repo.text_index_available(s)
    for selective in (queue_repo._FTS_SELECTIVE, 3):  # rare terms through the index; then common ones by the scan
        monkeypatch.setattr(queue_repo, "_FTS_SELECTIVE", selective)
        for text in ("outlook", "no conecta", "ÓSCAR", "vargas", "zzz", "ab"):
            for q in (QueueQuery(text=text), QueueQuery(text=text, status=Status.CERRADO, sort=SortKey.REQUESTER)):
                forward, backward = walk(service, actor, q, size=4)
                assert forward == backward == expected(queue_data, q, actor), (q, selective)


def test_the_trigram_index_follows_new_tickets(text_index, desk, now, queue_data, log):
    service = QueueService(db := text_index, now=now)
    actor = actor_of(desk, "supervisor")
    with db.read() as s:
        assert queue_repo.text_index_available(s)
    new = log(by="supervisor", subject="Escáner quemado en archivo")
    page = service.page(actor, QueueQuery(text="quemado"), PageRequest())
    assert [r.id for r in page.rows] == [new.id]
