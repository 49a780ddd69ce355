"""Public surface of each service: wire schemas, events, permissions and a typed client."""
