"""The ``nilecare`` command."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import uuid
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import uvicorn
from aio_pika.exceptions import AMQPError
from aiokafka.errors import KafkaError
from rich.console import Console
from rich.table import Column, Table
from starlette.types import ASGIApp

from nilecare.kernel.audit import verify_chain
from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.db.engine import Database
from nilecare.kernel.db.migrations import autogenerate_revision, upgrade_database
from nilecare.kernel.errors import Problem
from nilecare.kernel.events.dead_letters import PendingDeadLetter
from nilecare.kernel.observability.logging import configure_logging
from nilecare.kernel.service import ServiceSpec
from nilecare.kernel.tasks.rabbitmq import TaskQueueUnavailable
from nilecare.runtime import events_admin, tasks_admin
from nilecare.runtime.allinone import build_all_in_one
from nilecare.runtime.bootstrap import Platform, build_context, build_platform
from nilecare.runtime.heap import freeze_startup_heap
from nilecare.runtime.openapi_export import combined_openapi, render
from nilecare.runtime.registry import load_specs, spec_named
from nilecare.runtime.seed import SeededUser, demo_password, seed_demo
from nilecare.runtime.standalone import GATEWAY, build_standalone, default_port
from nilecare.runtime.worker import WorkerRefused, serve_worker, worker_specs
from nilecare.services.auth import admin as auth_admin

app = typer.Typer(help="NileCare: healthcare management platform.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
seed_app = typer.Typer(help="Demo and reference data.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
keys_app = typer.Typer(help="Token signing keys.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
events_app = typer.Typer(help="The event bus: dead letters and their replay.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(seed_app, name="seed")
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")
app.add_typer(events_app, name="events")
tasks_app = typer.Typer(
    help="Task queues (RabbitMQ): dead letters and their replay.", no_args_is_help=True
)
app.add_typer(tasks_app, name="tasks")

console = Console()
T = TypeVar("T")


def _settings() -> PlatformSettings:
    settings = PlatformSettings()
    configure_logging(settings.log_level, settings.log_json)
    return settings


@contextlib.asynccontextmanager
async def _platform(*services: str) -> AsyncIterator[Platform]:
    """Contexts for the named services (all when none), migrated, without serving HTTP."""
    platform = build_platform(_settings())
    specs = load_specs()
    try:
        for spec in specs:
            if not services or spec.name in services:
                context = build_context(platform, spec)
                if spec.migrations is not None:
                    await upgrade_database(context.database, spec.migrations)
        yield platform
    finally:
        await platform.aclose()


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a command's work; a refusal (bad input, weak password) is a message, not a trace."""
    try:
        return asyncio.run(coroutine)
    except Problem as problem:
        console.print(f"[red]✗ {problem.detail or problem.title}[/red]")
        raise typer.Exit(code=2) from None


def _spec_or_exit(name: str) -> ServiceSpec:
    try:
        return spec_named(name, load_specs())
    except LookupError as exc:
        raise typer.BadParameter(str(exc)) from exc


async def _serve(asgi_app: ASGIApp, host: str, port: int) -> None:
    # Our middleware logs each request by route template; uvicorn's access log would log raw
    # paths and query strings, which can carry patient data.
    config = uvicorn.Config(
        asgi_app, host=host, port=port, log_config=None, access_log=False, server_header=False
    )
    freeze_startup_heap()
    await uvicorn.Server(config).serve()


@app.command()
def up(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 7001,
) -> None:
    """Run every service in one process behind the gateway (migrates first)."""
    settings = _settings()

    async def main() -> None:
        platform = build_all_in_one(settings)
        await platform.migrate()
        console.print(f"NileCare is up at http://{host}:{port} (API docs at /docs)")
        await _serve(platform.app, host, port)

    _run(main())


@app.command()
def serve(
    service: Annotated[str, typer.Argument(help="Service to run, or 'gateway'.")],
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(help="Port (default: the service's own).")] = None,
) -> None:
    """Run one service in its own process (distributed mode)."""
    if service != GATEWAY:
        _spec_or_exit(service)
    asgi_app, _ = build_standalone(_settings(), service)
    asyncio.run(_serve(asgi_app, host, port or default_port(service)))


@db_app.command("upgrade")
def db_upgrade(
    service: Annotated[str | None, typer.Argument(help="One service; omit with --all.")] = None,
    all_services: Annotated[bool, typer.Option("--all", help="Every service.")] = False,
) -> None:
    """Apply each service's migrations to its own database."""
    if (service is None) == (not all_services):
        raise typer.BadParameter("name one service or pass --all")
    names = () if all_services else (service or "",)
    if service is not None:
        _spec_or_exit(service)

    async def main() -> list[str]:
        async with _platform(*names) as platform:
            return list(platform.contexts)

    for name in _run(main()):
        console.print(f"[green]✓[/green] {name} database is up to date")


@db_app.command("revision")
def db_revision(
    service: Annotated[str, typer.Argument(help="The service whose models changed.")],
    message: Annotated[str, typer.Option("--message", "-m", help="What the revision does.")],
) -> None:
    """Autogenerate a migration from model changes (against a scratch SQLite database)."""
    spec = _spec_or_exit(service)
    if spec.migrations is None:
        raise typer.BadParameter(f"{service} has no database")
    migrations = spec.migrations

    async def main() -> None:
        with tempfile.TemporaryDirectory() as scratch:
            db = Database(f"sqlite+aiosqlite:///{Path(scratch) / 'scratch.sqlite3'}")
            try:
                await autogenerate_revision(db, migrations, message)
            finally:
                await db.dispose()

    _run(main())
    console.print(f"[green]✓[/green] new revision written under {migrations / 'versions'}")


@seed_app.command("demo")
def seed_demo_command() -> None:
    """Create demo users (one per role in the hospital, one per staff role in the clinic) and
    every service's demo data; safe to repeat."""
    settings = _settings()
    password = demo_password(settings)

    async def main() -> list[SeededUser]:
        async with _platform() as platform:
            return await seed_demo(platform, password.value)

    users = _run(main())
    table = Table("role", Column("email", no_wrap=True), "facilities", "status", title="Demo users")
    for user in users:
        table.add_row(
            user.role,
            user.email,
            ", ".join(user.facilities),
            "created" if user.created else "exists",
        )
    console.print(table)
    if password.generated:
        console.print(
            f"Demo password (shown once, also saved to {password.saved_at}): "
            f"[bold]{password.value}[/bold]"
        )


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Login e-mail.")],
    role: Annotated[list[str], typer.Option(help="Role (repeat for several).")],
    full_name: Annotated[str, typer.Option(help="Full name.")],
    facility: Annotated[list[str] | None, typer.Option(help="Facility id (repeatable).")] = None,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create a user account."""
    facility_ids = [uuid.UUID(value) for value in facility or []]

    async def main() -> str:
        async with _platform("auth") as platform:
            user = await auth_admin.create_user(
                platform.contexts["auth"],
                email=email,
                password=password,
                full_name=full_name,
                roles=role,
                facility_ids=facility_ids,
            )
            return str(user.id)

    console.print(f"[green]✓[/green] created user {_run(main())}")


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Make a new token signing key active; old keys stay published until they retire."""

    async def main() -> str:
        async with _platform("auth") as platform:
            return await auth_admin.rotate_signing_key(platform.contexts["auth"])

    console.print(f"[green]✓[/green] new signing key {_run(main())} is active")


@audit_app.command("verify")
def audit_verify(
    service: Annotated[str | None, typer.Argument(help="One service; default every one.")] = None,
) -> None:
    """Check every audit chain; exits 1 if a row was edited or deleted."""

    async def main() -> bool:
        names = (service,) if service else ()
        ok = True
        async with _platform(*names) as platform:
            for name, context in platform.contexts.items():
                if context.db is None:
                    continue
                async with context.database.engine.connect() as conn:
                    report = await verify_chain(conn, context.kernel_tables, context.hasher.key)
                ok = ok and report.ok
                mark = "[green]✓[/green]" if report.ok else "[red]✗[/red]"
                console.print(f"{mark} {name}: {report.rows} audit rows")
                for problem in report.problems:
                    console.print(f"    [red]{problem}[/red]")
        return ok

    if not _run(main()):
        raise typer.Exit(code=1)


def _events_command(work: Coroutine[Any, Any, list[PendingDeadLetter]]) -> list[PendingDeadLetter]:
    try:
        return _run(work)
    except events_admin.InProcessBusError as exc:
        console.print(f"[yellow]{exc}[/yellow]")
        raise typer.Exit(code=1) from None
    except KafkaError as exc:
        console.print(f"[red]✗ the Kafka broker did not answer: {type(exc).__name__}[/red]")
        raise typer.Exit(code=1) from None


@events_app.command("dead-letters")
def events_dead_letters(
    consumer: Annotated[
        str | None, typer.Option(help="One consumer (<service>.<consumer>); default all.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 50,
) -> None:
    """List dead-lettered events not yet replayed (Kafka bus)."""
    letters = _events_command(events_admin.list_dead_letters(_settings(), consumer))
    console.print(events_admin.dead_letter_table(letters, limit))


@events_app.command("replay")
def events_replay(
    consumer: Annotated[str, typer.Option(help="Consumer to replay to (<service>.<consumer>).")],
    event_id: Annotated[
        uuid.UUID | None, typer.Option(help="Only this event; default every pending one.")
    ] = None,
) -> None:
    """Deliver a consumer's dead letters to it again, and to no other consumer (Kafka bus)."""
    replayed = _events_command(events_admin.replay(_settings(), consumer, event_id))
    if not replayed:
        console.print(f"[yellow]No pending dead letter for {consumer} to replay.[/yellow]")
        raise typer.Exit(code=1)
    console.print(f"[green]✓[/green] {len(replayed)} dead letter(s) sent back to {consumer}")


def _tasks_command(work: Coroutine[Any, Any, T]) -> T:
    try:
        return _run(work)
    except (WorkerRefused, LookupError) as exc:
        console.print(f"[yellow]{exc}[/yellow]")
        raise typer.Exit(code=1) from None
    except (OSError, AMQPError, TaskQueueUnavailable) as exc:
        console.print(f"[red]✗ RabbitMQ did not answer: {type(exc).__name__}[/red]")
        raise typer.Exit(code=1) from None


@app.command()
def worker(
    services: Annotated[
        list[str] | None, typer.Argument(help="Services whose tasks to run; default all.")
    ] = None,
) -> None:
    """Run the services' task workers on RabbitMQ until SIGINT/SIGTERM, then drain."""
    queues = _tasks_command(serve_worker(_settings(), services or []))
    console.print(f"[green]✓[/green] worker stopped ({', '.join(queues)})")


@tasks_app.command("dead-letters")
def tasks_dead_letters() -> None:
    """Count the dead letters of every task queue."""
    queues = tasks_admin.task_queues(worker_specs(load_specs(), []))
    counts = _tasks_command(tasks_admin.dead_letter_counts(_settings(), queues))
    table = Table("task queue", "dead letters", title="Dead tasks")
    for queue, count in counts.items():
        table.add_row(queue, str(count))
    console.print(table)


@tasks_app.command("replay")
def tasks_replay(
    queue: Annotated[str, typer.Argument(help="Task queue, e.g. notification.deliver.")],
) -> None:
    """Send a task queue's dead letters back to it, with their retries restored."""
    replayed = _tasks_command(tasks_admin.replay_dead_letters(_settings(), queue))
    console.print(f"[green]✓[/green] {replayed} dead task(s) sent back to {queue}")


@app.command()
def openapi(
    output: Annotated[
        Path | None, typer.Argument(help="File to write; default standard output.")
    ] = None,
) -> None:
    """Write the combined OpenAPI document (the web app's API types are generated from it)."""
    configure_logging("WARNING", json_lines=False)
    text = render(_run(combined_openapi()))
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"[green]✓[/green] OpenAPI document written to {output}")


def main() -> None:
    app()
