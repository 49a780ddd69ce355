"""The auth service's use cases, one unit of work each (login spans several short ones)."""
