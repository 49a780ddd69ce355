"""The auth service's public contract."""
