"""Alembic history of the auth database."""
