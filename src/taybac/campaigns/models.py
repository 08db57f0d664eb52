"""The campaigns app's models; each kind of selling event keeps its own module (live_models.py, …)."""

from taybac.campaigns.fair_models import BoothProduct, Fair, FairBooth, FairLiveSession, FairOrder
from taybac.campaigns.live_models import ChatMessage, DraftOrder, LiveProduct, LiveSession
from taybac.campaigns.share_models import AttributedOrder, LinkVisit, PageVisit, ShareLink
from taybac.campaigns.window_models import SalesWindow, WindowPreorder

__all__ = [
    "AttributedOrder",
    "BoothProduct",
    "ChatMessage",
    "DraftOrder",
    "Fair",
    "FairBooth",
    "FairLiveSession",
    "FairOrder",
    "LinkVisit",
    "LiveProduct",
    "LiveSession",
    "PageVisit",
    "SalesWindow",
    "ShareLink",
    "WindowPreorder",
]
