"""The API gateway: the one door in front of every service.

It owns no data. It routes ``/api/v1/<prefix>/...`` to the service that claims the prefix (an
in-process ASGI app in all-in-one mode, a URL in distributed mode), verifies the access token
before forwarding anything that is not a declared public endpoint, rate-limits per IP, per user
and (stricter) on login, limits body sizes, adds CORS and security headers, and serves one merged
OpenAPI document with Swagger UI, its own health and metrics, and the web app. It also serves
live updates on the WebSocket ``/ws`` (``live/``, docs/live-updates.md).
"""
