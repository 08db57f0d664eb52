"""Routes of the brand pages and official records (docs/selling-events.md, "Brand pages and certificates")."""

from django.urls import URLPattern, path

from taybac.web import views_brands as v

urlpatterns: list[URLPattern] = [
    path("chung-nhan/ocop/<int:pk>/", v.ocop_page, name="ocop-certificate"),
    path("chi-dan-dia-ly/<int:pk>/", v.gi_page, name="gi-page"),
    path("ban-hang/thuong-hieu/", v.seller_brand, name="seller-brand"),
    path("ban-hang/thuong-hieu/anh/", v.seller_brand_photos, name="seller-brand-photos"),
    path("ban-hang/thuong-hieu/anh/<int:pk>/xoa/", v.seller_brand_photo_remove, name="seller-brand-photo-remove"),
    path("can-bo/chung-nhan/", v.officer_list, name="officer-certificates"),
    path("can-bo/chung-nhan/san-pham/<int:pk>/", v.officer_product, name="officer-product"),
    path("can-bo/chung-nhan/san-pham/<int:pk>/ocop/", v.officer_ocop, name="officer-ocop"),
    path("can-bo/chung-nhan/san-pham/<int:pk>/chi-dan-dia-ly/", v.officer_gi, name="officer-gi"),
]
