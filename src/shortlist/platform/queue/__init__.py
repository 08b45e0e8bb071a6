"""A small facade over taskiq brokers: publish "run job X" notes and consume them.

The broker only carries job ids; the jobs table decides what runs (see shortlist.job).
"""

from shortlist.platform.queue.facade import Delivery, JobQueue, LocalBroker, create_broker

__all__ = ["Delivery", "JobQueue", "LocalBroker", "create_broker"]
