"""Review pages (docs/reviews.md), included by web/urls.py."""

from django.urls import path

from taybac.web import views_reviews

urlpatterns = [
    path("danh-gia/", views_reviews.mine, name="reviews-mine"),
    path("danh-gia/viet/<int:line_id>/", views_reviews.write, name="reviews-write"),
    path("danh-gia/<int:pk>/bao-cao/", views_reviews.report, name="reviews-report"),
    path("san-pham/<int:pk>/danh-gia/", views_reviews.product_reviews, name="reviews-product"),
    path("ban-hang/danh-gia/", views_reviews.seller_reviews, name="reviews-seller"),
    path("ban-hang/danh-gia/<int:pk>/tra-loi/", views_reviews.reply, name="reviews-reply"),
]
