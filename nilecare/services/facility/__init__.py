"""The facility service: facilities (with their Sudan state and locality), departments, wards,
rooms and beds; the bed board with the bed workflow (available → occupied → cleaning →
available, and out of service), bed assignments and transfers with their history, and ward
occupancy.

Publishes ``bed.assigned`` and ``bed.released``.
"""
