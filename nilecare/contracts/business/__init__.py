"""The business service's public contract: staff, their availability, organizations and the
charge master (wire models, permissions, events and the typed client)."""
