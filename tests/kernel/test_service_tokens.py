"""Service tokens: a consumer calls another service as its service; nothing else passes as one."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from sqlalchemy import select

from nilecare.kernel.auth.revocation import MemoryRevocationStore
from nilecare.kernel.auth.service_tokens import (
    ServiceTokenIssuer,
    ServiceTokenKey,
    service_user_id,
)
from nilecare.kernel.auth.tokens import TokenVerifier
from nilecare.kernel.config import service_settings_class
from nilecare.kernel.context import current_context
from nilecare.kernel.db.base import service_metadata
from nilecare.kernel.db.kernel_tables import add_kernel_tables
from nilecare.kernel.errors import Unauthorized
from nilecare.kernel.events.envelope import Envelope
from nilecare.kernel.http.client import UpstreamProblem
from nilecare.kernel.service import (
    Consumer,
    ServiceContext,
    ServiceSpec,
    TaskWorker,
    build_service_app,
)
from nilecare.kernel.tasks.queue import Task
from nilecare.kernel.uow import UnitOfWork
from nilecare.runtime.bootstrap import Platform, build_context, build_platform
from tests.harness import RunningService, platform_settings_for_tests
from tests.kernel import sample_service
from tests.kernel.sample_service import NOTE_WRITE
from tests.kernel.test_service_kernel import sample
from tests.services.gateway.stack import serve_over_http
from tests.tokens import AUDIENCE, ISSUER, Signer

PAGE_REQUESTED = "pager.page.requested"


class Pager:
    """A service whose consumer and task write a note in the sample service, keeping the answers."""

    def __init__(self, name: str, permissions: frozenset[str]) -> None:
        self.outcomes: list[Any] = []
        self.platform: Platform | None = None
        metadata = service_metadata()
        self.spec = ServiceSpec(
            name=name,
            title=name,
            description="calls the sample service from a consumer and a task",
            port=0,
            prefixes=(name,),
            routers=(),
            settings_class=service_settings_class(name),
            metadata=metadata,
            tables=add_kernel_tables(metadata),
            consumers=(Consumer(PAGE_REQUESTED, "write-note", self.on_page),),
            tasks=(TaskWorker(f"{name}.write", self.on_task),),
            service_permissions=permissions,
        )

    async def write_note(self, text: str) -> None:
        assert self.platform is not None
        ctx = current_context()
        self.outcomes.append(ctx.request_id if ctx else None)
        try:
            client = self.platform.directory.client("sample")
            self.outcomes.append(await client.json("POST", "/api/v1/notes", json={"text": text}))
        except UpstreamProblem as problem:
            self.outcomes.append(problem)

    async def on_page(self, uow: UnitOfWork, envelope: Envelope) -> None:
        await self.write_note(str(envelope.data["text"]))

    async def on_task(self, context: ServiceContext, task: Task) -> None:
        await self.write_note(str(task.payload["text"]))

    @contextlib.asynccontextmanager
    async def running(self, platform: Platform, data_dir: Path) -> AsyncIterator[ServiceContext]:
        self.platform = platform
        url = f"sqlite+aiosqlite:///{data_dir}/{self.spec.name}.db"
        context = build_context(platform, self.spec, database_url=url)
        async with context.database.engine.begin() as conn:
            assert self.spec.metadata is not None
            await conn.run_sync(self.spec.metadata.create_all)
        app = build_service_app(context)
        async with app.router.lifespan_context(app):
            yield context


def page(text: str) -> Envelope:
    return Envelope(
        type=PAGE_REQUESTED,
        version=1,
        source="test",
        key="k",
        data={"text": text},
        correlation_id="corr-12345678",
    )


async def note_audit_rows(svc: RunningService) -> list[Any]:
    table = sample_service.tables.audit_events
    async with svc.context.database.engine.connect() as conn:
        return list((await conn.execute(select(table))).all())


@pytest.mark.parametrize("transport", ["in-process", "http"])
async def test_a_consumer_calls_another_service_as_its_service(
    transport: str, tmp_path: Path
) -> None:
    async with sample("", tmp_path) as (svc, _), contextlib.AsyncExitStack() as stack:
        pager = Pager("pager", frozenset({NOTE_WRITE}))
        platform = svc.platform
        if transport == "http":
            # Another process of the same deployment: same secrets, the sample service by URL.
            url = await stack.enter_async_context(serve_over_http(svc.app))
            platform = build_platform(platform_settings_for_tests(tmp_path))
            stack.push_async_callback(platform.aclose)
            platform.directory.register_url("sample", url)
        await stack.enter_async_context(pager.running(platform, tmp_path))

        await platform.bus.publish(page("paged"))

        request_id, created = pager.outcomes
        assert request_id == "corr-12345678"  # the event's correlation id carries on
        assert created["text"] == "paged"
        [row] = await note_audit_rows(svc)
        assert row.action == "note.create"
        assert row.actor_id == str(service_user_id("pager"))
        assert row.details["actor_service"] == "pager"
        assert row.request_id == "corr-12345678"


async def test_a_task_calls_another_service_as_its_service(tmp_path: Path) -> None:
    async with sample("", tmp_path) as (svc, _):
        pager = Pager("pager", frozenset({NOTE_WRITE}))
        async with pager.running(svc.platform, tmp_path) as context:
            await context.tasks.enqueue(Task(name="pager.write", payload={"text": "queued"}))
            await context.tasks.join()  # type: ignore[attr-defined]
        assert pager.outcomes[1]["text"] == "queued"
        [row] = await note_audit_rows(svc)
        assert row.actor_id == str(service_user_id("pager"))


async def test_a_service_token_carries_only_its_services_permissions(tmp_path: Path) -> None:
    async with sample("", tmp_path) as (svc, _):
        pager = Pager("pager", frozenset({"sample.note.read"}))
        async with pager.running(svc.platform, tmp_path):
            await svc.platform.bus.publish(page("not allowed"))
        refused = pager.outcomes[1]
        assert isinstance(refused, UpstreamProblem) and refused.status == 403
        [row] = await note_audit_rows(svc)
        assert (row.action, row.outcome) == ("access.forbidden", "denied")
        assert row.actor_id == str(service_user_id("pager"))


async def test_a_request_outside_any_service_or_caller_sends_no_token(tmp_path: Path) -> None:
    async with sample("", tmp_path) as (svc, _):
        client = svc.platform.directory.client("sample")
        with pytest.raises(UpstreamProblem) as refused:
            await client.json("POST", "/api/v1/notes", json={"text": "anonymous"})
        assert refused.value.status == 401


async def test_another_deployments_service_token_is_refused(tmp_path: Path) -> None:
    async with sample("", tmp_path) as (svc, _):
        # Same code, other secrets: a separate data directory generates another HMAC key.
        foreign = build_platform(platform_settings_for_tests(tmp_path / "elsewhere"))
        assert foreign.directory.service_tokens is not None
        foreign.directory.service_tokens.register("pager", frozenset({NOTE_WRITE}))
        token = foreign.directory.service_tokens.token_for("pager")
        answer = await svc.client.post(
            "/api/v1/notes", json={"text": "x"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 401
        await foreign.aclose()


# --- the verifier on its own -------------------------------------------------------------------

KEY = ServiceTokenKey.derive(b"k" * 32, jwt_issuer=ISSUER, audience=AUDIENCE)


def verifier(signer: Signer) -> TokenVerifier:
    return TokenVerifier(
        signer.fetch_jwks,
        issuer=ISSUER,
        audience=AUDIENCE,
        revocations=MemoryRevocationStore(),
        service_key=KEY,
    )


def service_claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "service:pager",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
        "type": "service",
        "permissions": [NOTE_WRITE],
    }
    claims.update(overrides)
    return claims


async def test_a_service_token_gives_a_service_principal_of_every_facility() -> None:
    issuer = ServiceTokenIssuer(KEY)
    issuer.register("pager", frozenset({NOTE_WRITE}))
    principal = await verifier(Signer()).verify(issuer.token_for("pager"), accept_service=True)
    assert principal.service == "pager"
    assert principal.user_id == service_user_id("pager")
    assert principal.roles == {"service"} and principal.email is None
    assert principal.permissions == {NOTE_WRITE}
    assert principal.all_facilities and principal.can_access_facility(uuid.uuid4())


async def test_a_service_token_is_refused_where_service_tokens_are_not_accepted() -> None:
    issuer = ServiceTokenIssuer(KEY)
    issuer.register("pager", frozenset({NOTE_WRITE}))
    token = issuer.token_for("pager")
    checker = verifier(Signer())
    await checker.verify(token, accept_service=True)  # cached as verified: still refused below
    with pytest.raises(Unauthorized):
        await checker.verify(token)


def forged_tokens(signer: Signer) -> dict[str, str]:
    public_pem = signer.key.public_key().public_bytes_raw()
    return {
        "other key": ServiceTokenKey.derive(b"x" * 32, jwt_issuer=ISSUER, audience=AUDIENCE).encode(
            service_claims()
        ),
        "raw hmac key, not the derived one": jwt.encode(
            {**service_claims(), "iss": KEY.issuer, "aud": AUDIENCE},
            b"k" * 32,
            algorithm="HS256",
            headers={"kid": "service"},
        ),
        "expired": KEY.encode(service_claims(exp=int(time.time()) - 60, iat=0, nbf=0)),
        "user token type": KEY.encode(service_claims(type="access")),
        "not a service subject": KEY.encode(service_claims(sub=str(uuid.uuid4()))),
        "user issuer": jwt.encode(
            {**service_claims(), "iss": ISSUER, "aud": AUDIENCE},
            KEY.secret,
            algorithm="HS256",
            headers={"kid": "service"},
        ),
        "service kid, EdDSA": jwt.encode(
            {**service_claims(), "iss": KEY.issuer, "aud": AUDIENCE},
            signer.key,
            algorithm="EdDSA",
            headers={"kid": "service"},
        ),
        "service kid, alg none": jwt.encode(
            {**service_claims(), "iss": KEY.issuer, "aud": AUDIENCE},
            None,
            algorithm="none",
            headers={"kid": "service"},
        ),
        # A user token signed HS256 with the service key, or with the auth key's public bytes.
        "user kid, HS256 with the service key": jwt.encode(
            {
                **service_claims(type="access", sub=str(uuid.uuid4())),
                "iss": ISSUER,
                "aud": AUDIENCE,
            },
            KEY.secret,
            algorithm="HS256",
            headers={"kid": signer.kid},
        ),
        "user kid, HS256 with the public key": jwt.encode(
            {
                **service_claims(type="access", sub=str(uuid.uuid4())),
                "iss": ISSUER,
                "aud": AUDIENCE,
            },
            public_pem,
            algorithm="HS256",
            headers={"kid": signer.kid},
        ),
    }


@pytest.mark.parametrize("case", list(forged_tokens(Signer())))
async def test_forged_expired_and_alg_swapped_service_tokens_are_refused(case: str) -> None:
    signer = Signer()
    token = forged_tokens(signer)[case]
    with pytest.raises(Unauthorized):
        await verifier(signer).verify(token, accept_service=True)


async def test_a_verifier_without_the_service_key_refuses_service_tokens() -> None:
    signer = Signer()
    plain = TokenVerifier(
        signer.fetch_jwks, issuer=ISSUER, audience=AUDIENCE, revocations=MemoryRevocationStore()
    )
    with pytest.raises(Unauthorized):
        await plain.verify(KEY.encode(service_claims()), accept_service=True)


def test_the_issuer_caches_its_token_and_renews_it_before_expiry() -> None:
    now = [time.time()]
    issuer = ServiceTokenIssuer(
        KEY, lifetime_seconds=300, renew_before_seconds=60, clock=lambda: now[0]
    )
    issuer.register("pager", frozenset({NOTE_WRITE}))
    first = issuer.token_for("pager")
    now[0] += 239
    assert issuer.token_for("pager") == first
    now[0] += 1  # 60 s left: a new token
    second = issuer.token_for("pager")
    assert second != first
    claims = jwt.decode(second, KEY.secret, algorithms=["HS256"], audience=AUDIENCE, leeway=300)
    assert claims["exp"] - claims["iat"] == 300
    assert claims["sub"] == "service:pager" and claims["iss"] == f"{ISSUER}/services"
    assert jwt.get_unverified_header(second)["kid"] == "service"
    with pytest.raises(LookupError):
        issuer.token_for("not-running-here")


def test_the_service_key_is_not_the_hmac_key() -> None:
    assert KEY.secret != b"k" * 32 and len(KEY.secret) == 32
