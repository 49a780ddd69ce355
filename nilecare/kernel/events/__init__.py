"""Events: envelope, transactional outbox, relay, idempotent inbox and bus backends."""
