"""The live-update machinery of one gateway process, chosen by whether Redis is configured."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from nilecare.kernel.events.bus import EventBus
from nilecare.services.gateway.live.alerts import AlertStore, MemoryAlertStore, RedisAlertStore
from nilecare.services.gateway.live.bridge import LiveBridge
from nilecare.services.gateway.live.hub import Fanout, LocalHub, MemoryFanout
from nilecare.services.gateway.live.redis_fanout import RedisFanout
from nilecare.services.gateway.settings import GatewaySettings


@dataclass
class LiveUpdates:
    hub: LocalHub
    fanout: Fanout
    alerts: AlertStore
    bridge: LiveBridge

    async def start(self, bus: EventBus | None) -> None:
        """Call inside the running event loop (the gateway's lifespan)."""
        await self.fanout.start()
        if bus is not None:
            self.bridge.subscribe(bus)

    async def stop(self) -> None:
        await self.fanout.stop()


def build_live_updates(settings: GatewaySettings, redis: Redis | None) -> LiveUpdates:
    hub = LocalHub()
    fanout: Fanout
    alerts: AlertStore
    window = settings.live_alert_window_seconds
    if redis is not None:
        prefix = settings.live_redis_prefix
        fanout = RedisFanout(redis, hub, channel=f"{prefix}messages")
        alerts = RedisAlertStore(
            redis, prefix, window_seconds=window, per_topic=settings.live_alerts_per_topic
        )
    else:
        fanout = MemoryFanout(hub)
        alerts = MemoryAlertStore(window_seconds=window, per_topic=settings.live_alerts_per_topic)
    bridge = LiveBridge(fanout, alerts, max_age_seconds=window)
    return LiveUpdates(hub, fanout, alerts, bridge)
