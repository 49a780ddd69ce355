"""Use cases of the business service: one unit of work each, with an explicit commit."""
