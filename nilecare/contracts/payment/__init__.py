"""The payment service's public contract (its events; the service itself comes later)."""
