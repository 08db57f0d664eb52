"""Routes of one part of the site, kept in their own module and included by web/urls.py: a lot's page in the
seller centre, declaring one of its events erroneous ("Báo sai"), and the lot's labels as a PDF."""

from django.urls import URLPattern, path, re_path

from taybac.web import views_lot_corrections, views_trace

LOT = r"^01/(?P<gtin>[0-9]{14})/10/(?P<code>[^/]{1,80})"  # as in web/urls.py

urlpatterns: list[URLPattern] = [
    path("ban-hang/lo-hang/<int:pk>/", views_lot_corrections.lot_detail, name="seller-lot"),
    path(
        "ban-hang/lo-hang/<int:pk>/su-kien/<int:leaf>/bao-sai/",
        views_lot_corrections.lot_declare,
        name="seller-lot-declare",
    ),
    re_path(LOT + r"/nhan-in\.pdf$", views_trace.lot_labels_pdf, name="trace-lot-labels-pdf"),
]
