"""Verifying access tokens, the caller as a ``Principal``, and route protection."""
