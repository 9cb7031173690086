"""/healthz (the process answers) and /readyz (database and queue answer), for load balancers."""

from __future__ import annotations

from huey.storage import RedisStorage
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from eventsys.extensions import db, huey
from eventsys.queue import redis_pool
from tests.servers import free_port


def test_healthz_answers_without_touching_the_database(client, count_queries):
    with count_queries() as counter:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert counter.count == 0


def test_readyz_answers_ok_when_database_and_queue_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_is_503_with_a_short_reason_when_the_database_is_unreachable(client):
    def refuse(conn, cursor, statement, *args):
        if statement.strip().upper() == "SELECT 1":
            raise OperationalError(statement, {}, OSError("connection refused at 10.0.0.7"))

    event.listen(db.engine, "before_cursor_execute", refuse)
    try:
        response = client.get("/readyz")
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse)
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reasons": ["database"]}
    assert "10.0.0.7" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_readyz_is_503_when_redis_is_unreachable(client):
    original = huey.storage
    huey.storage = RedisStorage(
        name=huey.name, connection_pool=redis_pool(f"redis://127.0.0.1:{free_port()}/6")
    )
    try:
        response = client.get("/readyz")
    finally:
        huey.storage = original
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reasons": ["queue"]}
    assert "Traceback" not in response.get_data(as_text=True)
