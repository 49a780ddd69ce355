"""The facility service's public contract."""
