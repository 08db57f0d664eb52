"""The campaigns app's models; each kind of selling event keeps its own module (live_models.py, …)."""

from taybac.campaigns.live_models import ChatMessage, DraftOrder, LiveProduct, LiveSession

__all__ = ["ChatMessage", "DraftOrder", "LiveProduct", "LiveSession"]
