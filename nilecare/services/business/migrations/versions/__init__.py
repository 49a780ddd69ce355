"""Revisions of the business service."""
