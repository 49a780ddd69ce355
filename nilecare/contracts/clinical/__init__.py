"""The clinical service's public contract: wire models, events, permissions and a typed client."""
