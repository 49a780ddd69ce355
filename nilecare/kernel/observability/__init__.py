"""Request context, JSON logs, Prometheus metrics and the middleware that ties them together."""
