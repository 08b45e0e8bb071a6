"""Outbound webhooks: endpoints, signed deliveries with retries, and the delivery loop.

Entry points for the rest of the service: `service.enqueue_deliveries` (the event dispatcher calls it in the
transaction that records the event) and `delivery.attempt_delivery` (the embedded loop or a job calls it).
"""
