"""Tasks: work done once, later and elsewhere (email, SMS, push, reports, exports)."""
