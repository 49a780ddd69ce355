"""The notification service's public contract: events, schemas, permissions and client."""
