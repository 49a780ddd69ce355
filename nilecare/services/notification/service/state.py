"""What the notification service's tasks and routes share while it runs: settings, templates,
the configured channel adapters and the lookups of other services.

Tasks are handed only the service context (a ``nilecare worker`` process runs them without the
app), so the state is kept per context here and built on first use; ``close_state`` releases the
adapters when the service stops.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from nilecare.contracts.notification.schemas import Channel
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.service import ServiceContext
from nilecare.kernel.tasks.dispatch import enqueue_rows
from nilecare.services.notification.channels.base import ChannelAdapter
from nilecare.services.notification.channels.registry import Channels, build_channels
from nilecare.services.notification.rendering import Renderer
from nilecare.services.notification.service.common import notification_settings
from nilecare.services.notification.service.lookups import Lookups
from nilecare.services.notification.settings import NotificationSettings

SEND_QUEUE = "notification.send"
PREPARE_QUEUE = "notification.prepare"


@dataclass
class NotificationState:
    context: ServiceContext
    settings: NotificationSettings
    channels: Channels
    renderer: Renderer = field(default_factory=Renderer)
    clock: Callable[[], datetime] = utcnow

    @property
    def lookups(self) -> Lookups:
        return Lookups(self.context.directory, self.context.cache)

    @property
    def available(self) -> frozenset[Channel]:
        """The channels deliveries can be made on: those with an adapter."""
        return frozenset(
            channel for channel in ("email", "sms", "push") if self.adapter(channel) is not None
        )

    def adapter(self, channel: Channel) -> ChannelAdapter | None:
        adapter: ChannelAdapter | None = getattr(self.channels, channel)
        return adapter

    async def enqueue(self, queue: str, ids: Sequence[uuid.UUID]) -> None:
        await enqueue_rows(self.context.tasks, queue, ids)


_states: dict[int, NotificationState] = {}


def state_of(context: ServiceContext) -> NotificationState:
    """The context's state, built on first use (identity checked: ids of dead contexts recur)."""
    state = _states.get(id(context))
    if state is None or state.context is not context:
        channels = build_channels(
            notification_settings(context.settings),
            context.platform.data_dir,
            development=context.platform.is_development,
        )
        state = install_state(context, channels)
    return state


def install_state(context: ServiceContext, channels: Channels) -> NotificationState:
    """Give the context its state with these channels (tests give recording adapters)."""
    state = NotificationState(context, notification_settings(context.settings), channels)
    _states[id(context)] = state
    return state


async def close_state(context: ServiceContext) -> None:
    state = _states.get(id(context))
    if state is not None and state.context is context:
        del _states[id(context)]
        await state.channels.aclose()
