from __future__ import annotations

from shortlist.kit.problems import Conflict, NotFound, UnprocessableContent


class WebhookNotFound(NotFound):
    slug = "webhook-not-found"
    title = "Webhook endpoint not found"

    def __init__(self) -> None:
        super().__init__("No such webhook endpoint (or it belongs to someone else).")


class DeliveryNotFound(NotFound):
    slug = "webhook-delivery-not-found"
    title = "Webhook delivery not found"

    def __init__(self) -> None:
        super().__init__("This webhook endpoint has no such delivery.")


class WebhookUrlRefused(UnprocessableContent):
    slug = "webhook-url-refused"
    title = "Webhook URL refused"


class UnknownEventType(UnprocessableContent):
    slug = "unknown-event-type"
    title = "Unknown event type"


class WebhookLimitReached(UnprocessableContent):
    slug = "webhook-limit"
    title = "Webhook endpoint limit reached"


class WebhookInactive(Conflict):
    slug = "webhook-inactive"
    title = "Webhook endpoint is disabled"

    def __init__(self) -> None:
        super().__init__("The endpoint is disabled; set active to true before sending to it.")


class DeliveryInProgress(Conflict):
    slug = "webhook-delivery-in-progress"
    title = "Delivery still in progress"

    def __init__(self) -> None:
        super().__init__("This delivery is still scheduled or being sent; redeliver it once it has finished.")
