"""Calls between services: one client, an in-process or a network transport."""
