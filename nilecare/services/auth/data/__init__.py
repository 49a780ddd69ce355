"""Data files shipped with the auth service (the common-password list)."""
