"""Revisions of the auth database."""
