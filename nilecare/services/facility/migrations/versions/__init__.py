"""Revisions of the facility service."""
