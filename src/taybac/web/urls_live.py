"""Routes of the live pages (docs/selling-events.md, "Livestream selling")."""

from django.urls import path

from taybac.web import views_live, views_live_seller

urlpatterns = [
    path("truc-tiep/", views_live.sessions, name="live-list"),
    path("truc-tiep/<int:session_id>/", views_live.live_page, name="live-page"),
    path("truc-tiep/<int:session_id>/binh-luan/", views_live.chat, name="live-chat"),
    path("truc-tiep/<int:session_id>/dat-hang/", views_live.order, name="live-order"),
    path("truc-tiep/rtmp/publish/", views_live.rtmp_publish, name="live-rtmp-publish"),
    path("ban-hang/truc-tiep/", views_live_seller.sessions, name="seller-live"),
    path("ban-hang/truc-tiep/<int:session_id>/", views_live_seller.manage, name="seller-live-manage"),
    path("ban-hang/truc-tiep/<int:session_id>/phat/", views_live_seller.go_live, name="seller-live-start"),
    path("ban-hang/truc-tiep/<int:session_id>/doi-khoa/", views_live_seller.rotate_key, name="seller-live-key"),
    path("ban-hang/truc-tiep/<int:session_id>/ghim/", views_live_seller.pin, name="seller-live-pin"),
    path("ban-hang/truc-tiep/<int:session_id>/an-tin/", views_live_seller.hide, name="seller-live-hide"),
    path("ban-hang/truc-tiep/<int:session_id>/don-nhap/", views_live_seller.draft, name="seller-live-draft"),
    path("ban-hang/truc-tiep/<int:session_id>/ket-thuc/", views_live_seller.end, name="seller-live-end"),
]
