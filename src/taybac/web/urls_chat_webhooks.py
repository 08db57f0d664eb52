"""Routes of the assistant's chat webhooks: Zalo OA and Messenger (docs/assistant.md, "Zalo and Messenger")."""

from django.urls import path

from taybac.web import views_chat_webhooks

urlpatterns = [
    path("webhooks/zalo/", views_chat_webhooks.zalo_webhook, name="zalo-webhook"),
    path("webhooks/messenger/", views_chat_webhooks.messenger_webhook, name="messenger-webhook"),
]
