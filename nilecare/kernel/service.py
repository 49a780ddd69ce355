"""What a service is (``ServiceSpec``), what it gets at run time (``ServiceContext``), and the
FastAPI app every service is built into with the same middleware, errors, health and metrics."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRouter
from sqlalchemy import MetaData, text
from starlette.responses import JSONResponse

from nilecare.kernel.audit import append_audit
from nilecare.kernel.audit_api import audit_router
from nilecare.kernel.auth.dependencies import PUBLIC, SecureRouter, api_routes, route_protection
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.auth.revocation import RevocationStore
from nilecare.kernel.auth.tokens import TokenVerifier
from nilecare.kernel.cache import Cache
from nilecare.kernel.config import PlatformSettings, ServiceSettings
from nilecare.kernel.context import acting_as_service
from nilecare.kernel.crypto import KeyedHasher, Keyring
from nilecare.kernel.db.engine import Database
from nilecare.kernel.db.kernel_tables import KernelTables
from nilecare.kernel.errors import (
    Problem,
    ServiceUnavailable,
    install_error_handlers,
    problem_response,
)
from nilecare.kernel.events.bus import EventBus
from nilecare.kernel.events.envelope import Envelope
from nilecare.kernel.events.inbox import claim_event, claim_many
from nilecare.kernel.events.outbox import OutboxRelay
from nilecare.kernel.observability.metrics import metrics_endpoint
from nilecare.kernel.observability.middleware import RequestContextMiddleware
from nilecare.kernel.tasks.queue import InProcessTaskQueue, Task, TaskQueue
from nilecare.kernel.uow import UnitOfWork, build_audit_entry

log = structlog.get_logger("nilecare.service")

ConsumerHandler = Callable[[UnitOfWork, Envelope], Awaitable[None]]
ConsumerBatchHandler = Callable[[UnitOfWork, Sequence[Envelope]], Awaitable[None]]
Hook = Callable[["ServiceContext", FastAPI], Awaitable[None]]
TaskRunner = Callable[["ServiceContext", Task], Awaitable[None]]


# A consumer's handlers leave the commit to the kernel, which commits their effects with the
# inbox claims: a handler that committed would split a run the kernel applies all or nothing.
CONSUMER_COMMITTER = "the kernel (with the inbox claims)"


@dataclass(frozen=True)
class Consumer:
    """Reacts to another service's event; runs once per event thanks to the inbox. Its handlers
    do not commit (``UnitOfWork.commit`` raises there): the kernel does.

    ``batch_handler``, when given, has the same effect as ``handler`` for a run of new events
    at once (in their order), with set-based statements: per-event statements are most of a
    consumer's cost. It acts as the service with no one event's request id or trace, so it
    should only record (no calls to other services, no events of its own)."""

    event_type: str
    name: str
    handler: ConsumerHandler
    batch_handler: ConsumerBatchHandler | None = None


@dataclass(frozen=True)
class TaskWorker:
    """Handles one task queue of the service (in-process, or in ``nilecare worker``)."""

    queue: str
    run: TaskRunner


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    description: str
    port: int
    prefixes: tuple[str, ...]
    routers: tuple[APIRouter, ...]
    settings_class: type[ServiceSettings]
    metadata: MetaData | None = None
    tables: KernelTables | None = None
    migrations: Path | None = None
    consumers: tuple[Consumer, ...] = ()
    tasks: tuple[TaskWorker, ...] = ()
    # What the service's own token may do when its consumers and tasks call other services.
    service_permissions: frozenset[str] = frozenset()
    on_startup: tuple[Hook, ...] = ()
    on_shutdown: tuple[Hook, ...] = ()

    @property
    def has_database(self) -> bool:
        return self.metadata is not None and self.tables is not None


@dataclass
class ServiceContext:
    """Everything a running service needs, built by the composition root (runtime)."""

    spec: ServiceSpec
    settings: ServiceSettings
    platform: PlatformSettings
    verifier: TokenVerifier
    revocations: RevocationStore
    bus: EventBus
    keyring: Keyring
    hasher: KeyedHasher
    db: Database | None = None
    directory: Any = None
    redis: Any = None
    tasks: TaskQueue = field(default_factory=InProcessTaskQueue)
    cache: Cache = field(default_factory=Cache)
    relay: OutboxRelay | None = field(default=None, init=False)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def database(self) -> Database:
        if self.db is None:
            raise RuntimeError(f"the {self.name} service has no database")
        return self.db

    @property
    def kernel_tables(self) -> KernelTables:
        if self.spec.tables is None:
            raise RuntimeError(f"the {self.name} service has no kernel tables")
        return self.spec.tables

    def unit_of_work(self, principal: Principal | None = None) -> UnitOfWork:
        return UnitOfWork(
            self.name,
            self.database,
            self.kernel_tables,
            self.hasher.key,
            principal=principal,
            on_events_committed=self.relay.wake if self.relay else None,
        )

    async def audit_now(
        self, principal: Principal | None, action: str, resource_type: str, **kwargs: Any
    ) -> None:
        """Write one audit row in a transaction of its own (for refusals, whose request failed)."""
        if self.db is None or self.spec.tables is None:
            return
        entry = build_audit_entry(principal, action, resource_type, **kwargs)
        async with self.db.session() as session, session.begin():
            await append_audit(session, self.spec.tables, self.hasher.key, [entry])

    def _wrap_consumer(self, consumer: Consumer) -> Callable[[Envelope], Awaitable[None]]:
        name = f"{self.name}.{consumer.name}"

        async def handle(envelope: Envelope) -> None:
            with acting_as_service(
                self.name, request_id=envelope.correlation_id, traceparent=envelope.traceparent
            ):
                async with self.unit_of_work() as uow:
                    if await claim_event(uow.session, self.kernel_tables, name, envelope):
                        with uow.committed_by(CONSUMER_COMMITTER):
                            await consumer.handler(uow, envelope)
                        await uow.commit()

        return handle

    def _wrap_consumer_batch(
        self, consumer: Consumer
    ) -> Callable[[Sequence[Envelope]], Awaitable[None]]:
        """A run of events in one unit of work: their inbox claims at once, the batch handler for
        the new ones (else the handler for each, in order), one commit. It raises if any fails,
        having applied none; the bus then delivers them one by one (``_wrap_consumer``)."""
        name = f"{self.name}.{consumer.name}"

        async def handle_batch(envelopes: Sequence[Envelope]) -> None:
            async with self.unit_of_work() as uow:
                new = await claim_many(
                    uow.session, self.kernel_tables, name, [env.event_id for env in envelopes]
                )
                if not new:
                    return
                fresh: list[Envelope] = []
                if len(new) == len(envelopes):
                    fresh = list(envelopes)  # all new, no repeats: the usual case
                else:
                    for envelope in envelopes:
                        if envelope.event_id in new:
                            new.discard(envelope.event_id)  # a repeat within the run applies once
                            fresh.append(envelope)
                with uow.committed_by(CONSUMER_COMMITTER):
                    if consumer.batch_handler is not None:
                        with acting_as_service(self.name):
                            await consumer.batch_handler(uow, fresh)
                    else:
                        for envelope in fresh:
                            # Each event's own request id and trace, as if delivered alone.
                            with acting_as_service(
                                self.name,
                                request_id=envelope.correlation_id,
                                traceparent=envelope.traceparent,
                            ):
                                await consumer.handler(uow, envelope)
                await uow.commit()

        return handle_batch

    def on_behalf_of_service(self, run: TaskRunner) -> Callable[[Task], Awaitable[None]]:
        """``run`` as a task handler acting as this service (its calls carry the service token)."""

        async def handle(task: Task) -> None:
            with acting_as_service(self.name):
                await run(self, task)

        return handle

    async def start(self, app: FastAPI) -> None:
        if self.db is not None and self.spec.tables is not None:
            self.relay = OutboxRelay(self.name, self.db, self.spec.tables, self.bus)
            self.relay.start()
        for consumer in self.spec.consumers:
            self.bus.subscribe(
                consumer.event_type,
                f"{self.name}.{consumer.name}",
                self._wrap_consumer(consumer),
                batch_handler=self._wrap_consumer_batch(consumer),
                # SQLite has one writer: partitions' transactions side by side only queue.
                one_transaction_per_fetch=self.db is not None and self.db.is_sqlite,
            )
        if isinstance(self.tasks, InProcessTaskQueue):
            # All-in-one: this process is its own worker.
            self.register_task_workers()
            await self.tasks.start()
        for hook in self.spec.on_startup:
            await hook(self, app)

    def register_task_workers(self) -> None:
        for worker in self.spec.tasks:
            self.tasks.register(worker.queue, self.on_behalf_of_service(worker.run))

    async def stop(self, app: FastAPI) -> None:
        for hook in self.spec.on_shutdown:
            await hook(self, app)
        if self.relay is not None:
            await self.relay.stop()


def get_context(request: Request) -> ServiceContext:
    context: ServiceContext = request.app.state.context
    return context


async def get_unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    principal = getattr(request.state, "principal", None)
    async with get_context(request).unit_of_work(principal) as uow:
        yield uow


Context = Annotated[ServiceContext, Depends(get_context)]
UoW = Annotated[UnitOfWork, Depends(get_unit_of_work)]


def _health_router() -> SecureRouter:
    router = SecureRouter(tags=["health"])

    @router.get("/health/live", dependencies=[PUBLIC], summary="Liveness")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready", dependencies=[PUBLIC], summary="Readiness")
    async def ready(context: Context) -> dict[str, Any]:
        checks: dict[str, str] = {}
        if context.db is not None:
            try:
                async with context.db.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
                checks["database"] = "ok"
            except Exception as exc:
                log.warning("readiness_database_failed", error=type(exc).__name__)
                raise ServiceUnavailable("The database is not reachable") from exc
        return {"status": "ok", "checks": checks}

    return router


def unprotected_routes(app: FastAPI) -> list[str]:
    """Routes that neither declare PUBLIC nor require a permission."""
    missing = []
    for route in api_routes(app.routes):
        public, permissions = route_protection(route.dependant)
        if not (public or permissions):
            missing.append(f"{sorted(route.methods or ())} {route.path}")
    return missing


_REFUSAL_ACTIONS = {
    401: "access.unauthenticated",
    403: "access.forbidden",
    # Another facility's record answers 404 like a missing one: an attempt worth a row all the same.
    404: "access.not_found",
}


async def _audit_refusal(context: ServiceContext, request: Request, problem: Problem) -> None:
    route = request.scope.get("route")
    principal = getattr(request.state, "principal", None)
    if problem.status == 404 and principal is None:
        return
    ids = {name: str(value)[:64] for name, value in request.path_params.items()}
    try:
        await context.audit_now(
            principal,
            _REFUSAL_ACTIONS[problem.status],
            "route",
            resource_id=getattr(route, "path", request.url.path)[:64],
            outcome="denied",
            patient_id=ids.get("patient_id"),
            details={"method": request.method, "reason": problem.slug, "path_params": ids},
        )
    except Exception as error:
        log.error("audit_write_failed", error=type(error).__name__)


def build_service_app(context: ServiceContext) -> FastAPI:
    spec = context.spec

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await context.start(app)
        try:
            yield
        finally:
            await context.stop(app)

    app = FastAPI(
        title=f"NileCare {spec.title}",
        description=spec.description,
        version="1.0.0",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.context = context
    install_error_handlers(app)

    async def on_refusal(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        if exc.status in _REFUSAL_ACTIONS:
            await _audit_refusal(context, request, exc)
        return problem_response(exc, request.url.path)

    app.add_exception_handler(Problem, on_refusal)
    for router in spec.routers:
        app.include_router(router)
    app.include_router(_health_router())
    if spec.has_database:
        app.include_router(audit_router())
    app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    app.add_middleware(RequestContextMiddleware, service=spec.name)
    missing = unprotected_routes(app)
    if missing:
        raise RuntimeError(f"{spec.name}: routes without a protection declaration: {missing}")
    return app
