"""Live updates: the gateway's WebSocket ``/ws`` (protocol in docs/live-updates.md).

Events from the bus become live messages on topics (``patient:<id>``, ``ward:<id>``,
``facility:<id>``, ``user:<id>``); the fan-out hands each message to every gateway process (through
Redis pub/sub, or in memory in one process), and each process delivers it to its own sockets
subscribed to the topic whose user may see the message's facility. Critical alerts are kept for a
while so a client that reconnects gets the ones it missed.
"""
