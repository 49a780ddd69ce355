from __future__ import annotations

from tests.kafka import kafka_broker, stoppable_kafka_broker

__all__ = ["kafka_broker", "stoppable_kafka_broker"]
