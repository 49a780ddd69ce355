"""Use cases of the clinical service, one unit of work each."""
