"""The lab service's public contract (its events; the service itself comes later)."""
