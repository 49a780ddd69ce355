"""The kernel's service app on every database: problems, audit chain, outbox, health."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from nilecare.kernel.audit import verify_chain
from nilecare.kernel.db.migrations import create_kernel_tables  # noqa: F401 - import check
from nilecare.kernel.events.bus import InProcessBus
from nilecare.kernel.events.envelope import Envelope
from nilecare.kernel.service import Consumer
from nilecare.kernel.uow import UnitOfWork
from tests.harness import RunningService, running_service
from tests.kernel import sample_service
from tests.kernel.sample_service import SERVICE, Note, NoteWritten, ReceivedEvent, record_received
from tests.tokens import Signer


@contextlib.asynccontextmanager
async def sample(
    database_url: str, tmp_path: Path, *consumers: Consumer
) -> AsyncIterator[tuple[RunningService, Signer]]:
    signer = Signer()
    spec = dataclasses.replace(SERVICE, consumers=consumers) if consumers else SERVICE
    async with running_service(spec, database_url, tmp_path) as svc:
        async with svc.context.database.engine.begin() as conn:
            await conn.run_sync(sample_service.metadata.create_all)
        async with svc.context.database.engine.begin() as conn:
            await conn.execute(
                sample_service.tables.audit_chain_head.insert().values(id=1, seq=0, hash="0" * 64)
            )

        svc.platform.verifier._fetch = signer.fetch_jwks
        yield svc, signer


async def test_a_write_commits_its_row_audit_and_event_which_a_consumer_applies_once(
    database_url: str, tmp_path: Path
) -> None:
    async with sample(database_url, tmp_path) as (svc, signer):
        headers = {"Authorization": f"Bearer {signer.token(['sample.note.write'])}"}
        created = await svc.client.post("/api/v1/notes", json={"text": "hello"}, headers=headers)
        assert created.status_code == 201, created.text
        note_id = created.json()["id"]
        for _ in range(50):
            seen = (await svc.client.get(f"/api/v1/notes/{note_id}")).json()["seen_events"]
            if seen:
                break
            await asyncio.sleep(0.05)
        assert seen == 1
        # A second relay pass (as after a crash before marking sent) has nothing left to send.
        assert svc.context.relay is not None
        assert await svc.context.relay.relay_once() == 0
        async with svc.context.database.engine.connect() as conn:
            report = await verify_chain(conn, sample_service.tables, svc.context.hasher.key)
        assert report.ok and report.rows == 1


async def test_redelivered_event_has_no_second_effect(database_url: str, tmp_path: Path) -> None:
    async with sample(database_url, tmp_path) as (svc, signer):
        headers = {"Authorization": f"Bearer {signer.token(['sample.note.write'])}"}
        note_id = (
            await svc.client.post("/api/v1/notes", json={"text": "x"}, headers=headers)
        ).json()["id"]
        [envelope] = await svc.published()
        await svc.platform.bus.publish(envelope)
        assert (await svc.client.get(f"/api/v1/notes/{note_id}")).json()["seen_events"] == 1


async def test_a_consumer_handler_that_commits_is_refused_and_applies_nothing(
    database_url: str, tmp_path: Path
) -> None:
    async def commits_itself(uow: UnitOfWork, envelope: Envelope) -> None:
        await record_received(uow, envelope)
        await uow.commit()

    consumer = Consumer(NoteWritten.event_type, "commits-itself", commits_itself)
    async with sample(database_url, tmp_path, consumer) as (svc, _):
        envelope = Envelope(type=NoteWritten.event_type, source="sample", data={})
        await svc.platform.bus.publish(envelope)

        bus = svc.platform.bus
        assert isinstance(bus, InProcessBus)
        [letter] = bus.dead_letters
        assert letter.envelope == envelope and "RuntimeError" in letter.error
        async with svc.context.database.session() as session:
            received = (await session.execute(select(ReceivedEvent))).scalars().all()
            claims = (await session.execute(select(sample_service.tables.inbox))).all()
        assert received == [] and claims == []


async def test_audit_verify_detects_an_edited_and_a_deleted_row(
    database_url: str, tmp_path: Path
) -> None:
    async with sample(database_url, tmp_path) as (svc, signer):
        headers = {"Authorization": f"Bearer {signer.token(['sample.note.write'])}"}
        for text in ("a", "b", "c"):
            await svc.client.post("/api/v1/notes", json={"text": text}, headers=headers)
        audit = sample_service.tables.audit_events
        async with svc.context.database.engine.begin() as conn:
            await conn.execute(update(audit).where(audit.c.seq == 2).values(action="note.read"))
            report = await verify_chain(conn, sample_service.tables, svc.context.hasher.key)
        assert not report.ok and any("row 2 was altered" in p for p in report.problems)
        async with svc.context.database.engine.begin() as conn:
            await conn.execute(audit.delete().where(audit.c.seq == 3))
            report = await verify_chain(conn, sample_service.tables, svc.context.hasher.key)
        assert any("removed" in p for p in report.problems)


async def test_errors_are_problem_json_without_internals(database_url: str, tmp_path: Path) -> None:
    async with sample(database_url, tmp_path) as (svc, signer):
        missing = await svc.client.get(f"/api/v1/notes/{uuid.uuid4()}")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        bad_id = await svc.client.get("/api/v1/notes/not-a-uuid")
        assert bad_id.status_code == 422 and bad_id.json()["errors"][0]["field"] == "note_id"
        boom = await svc.client.get("/api/v1/notes/boom/now")
        assert boom.status_code == 500
        assert "secret internal detail" not in boom.text
        assert boom.json()["request_id"] == boom.headers["x-request-id"]
        headers = {
            "Authorization": f"Bearer {signer.token([])}",
            "Content-Type": "application/json",
        }
        malformed = await svc.client.post("/api/v1/notes", content=b"{not json", headers=headers)
        assert malformed.status_code in (400, 403)
        unauth = await svc.client.post("/api/v1/notes", json={"text": "x"})
        assert unauth.status_code == 401 and unauth.headers["www-authenticate"] == "Bearer"
        forbidden = await svc.client.post("/api/v1/notes", json={"text": "x"}, headers=headers)
        assert forbidden.status_code == 403
        async with svc.context.database.engine.connect() as conn:
            rows = (await conn.execute(sample_service.tables.audit_events.select())).all()
        assert {row.outcome for row in rows} == {"denied"}


async def test_readiness_checks_the_database(database_url: str, tmp_path: Path) -> None:
    async with sample(database_url, tmp_path) as (svc, _):
        assert (await svc.client.get("/health/live")).json() == {"status": "ok"}
        ready = await svc.client.get("/health/ready")
        assert ready.json()["checks"]["database"] == "ok"
        assert (await svc.client.get("/metrics")).status_code == 200


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_note_is_stored_in_the_service_database(database_url: str, tmp_path: Path) -> None:
    async with sample(database_url, tmp_path) as (svc, signer):
        headers = {"Authorization": f"Bearer {signer.token(['sample.note.write'])}"}
        await svc.client.post("/api/v1/notes", json={"text": "kept"}, headers=headers)
        async with svc.context.database.session() as session:
            assert (
                await session.get(
                    Note,
                    uuid.UUID(
                        (
                            await svc.client.post(
                                "/api/v1/notes", json={"text": "k2"}, headers=headers
                            )
                        ).json()["id"]
                    ),
                )
            ) is not None


async def test_the_audit_trail_is_readable_only_in_scope_and_reading_it_is_audited(
    database_url: str, tmp_path: Path
) -> None:
    async with sample(database_url, tmp_path) as (svc, signer):
        writer = {"Authorization": f"Bearer {signer.token(['sample.note.write'])}"}
        await svc.client.post("/api/v1/notes", json={"text": "x"}, headers=writer)
        forbidden = await svc.client.get("/internal/audit-events", headers=writer)
        assert forbidden.status_code == 403
        facility = str(uuid.uuid4())
        scoped = signer.token(["audit.event.read"], facility_ids=[facility])
        page = await svc.client.get(
            "/internal/audit-events", headers={"Authorization": f"Bearer {scoped}"}
        )
        assert page.status_code == 200
        assert all(item["action"] != "note.create" for item in page.json()["items"])
        everywhere = signer.token(["audit.event.read"], all_facilities=True)
        page = await svc.client.get(
            "/internal/audit-events", headers={"Authorization": f"Bearer {everywhere}"}
        )
        actions = [item["action"] for item in page.json()["items"]]
        assert "note.create" in actions
        assert "audit.read" in actions  # the scoped read above left its own row
