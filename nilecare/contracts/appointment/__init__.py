"""The appointment service's public contract (its events; the service itself comes later)."""
