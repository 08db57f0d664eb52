"""Routes of the buyer's chat with the assistant and of the inboxes where people answer (docs/assistant.md)."""

from django.urls import path

from taybac.web import views_assistant
from taybac.web import views_assistant_inbox as inbox

urlpatterns = [
    path("tro-ly/", views_assistant.chat, name="assistant-chat"),
    path("tro-ly/khung/", views_assistant.panel, name="assistant-panel"),
    path("tro-ly/tin-nhan/", views_assistant.new_messages, name="assistant-new-messages"),
    path("tro-ly/quen/", views_assistant.forget, name="assistant-forget"),
    path("ban-hang/tin-nhan/", inbox.seller_list, name="seller-inbox"),
    path("ban-hang/tin-nhan/<int:pk>/", inbox.seller_detail, name="seller-inbox-conversation"),
    path("ban-hang/tin-nhan/<int:pk>/tiep-nhan/", inbox.seller_take_over, name="seller-inbox-take-over"),
    path("ban-hang/tin-nhan/<int:pk>/tra-loi/", inbox.seller_reply, name="seller-inbox-reply"),
    path("ban-hang/tin-nhan/<int:pk>/tra-lai/", inbox.seller_hand_back, name="seller-inbox-hand-back"),
    path("van-hanh/tin-nhan/", inbox.operator_list, name="operator-inbox"),
    path("van-hanh/tin-nhan/<int:pk>/", inbox.operator_detail, name="operator-inbox-conversation"),
    path("van-hanh/tin-nhan/<int:pk>/tiep-nhan/", inbox.operator_take_over, name="operator-inbox-take-over"),
    path("van-hanh/tin-nhan/<int:pk>/tra-loi/", inbox.operator_reply, name="operator-inbox-reply"),
    path("van-hanh/tin-nhan/<int:pk>/tra-lai/", inbox.operator_hand_back, name="operator-inbox-hand-back"),
]
