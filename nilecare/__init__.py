"""NileCare: a healthcare management platform for multi-facility care."""

__version__ = "0.1.0"
