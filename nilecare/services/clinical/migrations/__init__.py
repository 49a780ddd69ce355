"""Alembic history of the clinical database."""
