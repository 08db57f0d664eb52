"""Routes of online fairs and share links (docs/selling-events.md, "Online fairs", "Sharing and campaigns")."""

from django.urls import path

from taybac.web import views_fairs, views_fairs_manage, views_share

urlpatterns = [
    path("hoi-cho/", views_fairs.fairs, name="fair-list"),
    path("hoi-cho/<slug:slug>/", views_fairs.fair_page, name="fair-page"),
    path("hoi-cho/<slug:slug>/gian/<int:booth_id>/", views_fairs.booth_page, name="fair-booth"),
    path("hoi-cho/<slug:slug>/gian/<int:booth_id>/dat-hang/", views_fairs.booth_order, name="fair-booth-order"),
    path("to-chuc/hoi-cho/", views_fairs_manage.organiser_list, name="fair-organiser"),
    path("to-chuc/hoi-cho/<int:fair_id>/", views_fairs_manage.manage, name="fair-manage"),
    path("to-chuc/hoi-cho/<int:fair_id>/sua/", views_fairs_manage.edit, name="fair-edit"),
    path("to-chuc/hoi-cho/<int:fair_id>/cong-bo/", views_fairs_manage.publish, name="fair-publish"),
    path("to-chuc/hoi-cho/<int:fair_id>/gian/<int:booth_id>/duyet/", views_fairs_manage.decide, name="fair-decide"),
    path("ban-hang/hoi-cho/", views_fairs_manage.seller_fairs, name="seller-fairs"),
    path("ban-hang/hoi-cho/gian/<int:booth_id>/rut/", views_fairs_manage.seller_withdraw, name="seller-fair-withdraw"),
    path("ban-hang/hoi-cho/gian/<int:booth_id>/truc-tiep/", views_fairs_manage.seller_live, name="seller-fair-live"),
    path("ban-hang/chia-se/", views_share.links, name="seller-share"),
]
