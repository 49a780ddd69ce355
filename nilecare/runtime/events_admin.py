"""What ``nilecare events`` shows and does: dead letters on the Kafka bus and their replay.

With the in-process bus (all-in-one) dead letters live in the memory of the running
``nilecare up`` process, which a separate command cannot reach: the commands say so and exit 1.
Those events are logged as ``event_dead_lettered`` and a restart of the process forgets them
(their outbox rows were deleted once delivered).
"""

from __future__ import annotations

import uuid

from rich.table import Column, Table

from nilecare.kernel.config import PlatformSettings
from nilecare.kernel.events.dead_letters import (
    PendingDeadLetter,
    pending_dead_letters,
    replay_dead_letters,
)

IN_PROCESS_MESSAGE = (
    "The in-process event bus (all-in-one mode) keeps dead letters in the memory of the running "
    "'nilecare up' process, out of reach of this command; they are logged as "
    "event_dead_lettered. These commands need NILECARE_EVENT_BUS=kafka."
)


class InProcessBusError(RuntimeError):
    """The configured bus keeps its dead letters where an operator command cannot reach them."""


def _kafka_servers(settings: PlatformSettings) -> str:
    if settings.event_bus != "kafka":
        raise InProcessBusError(IN_PROCESS_MESSAGE)
    return settings.kafka_bootstrap_servers


async def list_dead_letters(
    settings: PlatformSettings, consumer: str | None
) -> list[PendingDeadLetter]:
    return await pending_dead_letters(_kafka_servers(settings), consumer)


async def replay(
    settings: PlatformSettings, consumer: str, event_id: uuid.UUID | None
) -> list[PendingDeadLetter]:
    return await replay_dead_letters(
        _kafka_servers(settings),
        consumer,
        event_id=event_id,
        idempotent=settings.kafka_idempotent,
    )


def dead_letter_table(letters: list[PendingDeadLetter], limit: int) -> Table:
    shown = letters[:limit]
    table = Table(
        "consumer",
        "topic",
        Column("event id", no_wrap=True),
        "type",
        "occurred at",
        "error",
        Column("dead letter", no_wrap=True),
        title=f"Dead letters not yet replayed: {len(letters)}"
        + (f" (first {len(shown)} shown)" if len(shown) < len(letters) else ""),
    )
    for letter in shown:
        table.add_row(
            letter.consumer,
            letter.topic,
            str(letter.event_id) if letter.event_id else "(not an event)",
            letter.type or "",
            letter.occurred_at.isoformat(timespec="seconds") if letter.occurred_at else "",
            letter.error,
            f"{letter.partition}:{letter.offset}",
        )
    return table
