"""The shared kernel: configuration, data, events, auth, audit, errors, HTTP and observability.

Nothing here knows about any service.
"""
