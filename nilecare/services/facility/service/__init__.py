"""Use cases of the facility service: one unit of work each, with an explicit commit."""
