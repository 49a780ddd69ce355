"""Async SQLAlchemy per service: engine from a URL, base classes, unit of work, migrations."""
