"""Routes of the personal-data and legal pages (web/views_privacy.py, web/views_legal.py), included by
web/urls.py."""

from django.urls import URLPattern, path

from taybac.web import views_legal, views_privacy

urlpatterns: list[URLPattern] = [
    path("quyen-rieng-tu/", views_privacy.notice, name="privacy-notice"),
    path("tai-khoan/du-lieu/", views_privacy.my_data, name="privacy-data"),
    path("tai-khoan/du-lieu/dong-y/", views_privacy.marketing_consent, name="privacy-consent"),
    path("tai-khoan/du-lieu/tai-ve/", views_privacy.download, name="privacy-download"),
    path("tai-khoan/du-lieu/xoa/", views_privacy.delete_request, name="privacy-delete"),
    path("tai-khoan/du-lieu/xoa/xac-nhan/", views_privacy.delete_confirm, name="privacy-delete-confirm"),
    path("dieu-khoan/", views_legal.terms, name="legal-terms"),
    path("giai-quyet-tranh-chap/", views_legal.disputes, name="legal-disputes"),
]
