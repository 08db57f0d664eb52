"""Routes of the logistics pages: logistics_reports (docs/logistics.md, "Consolidation")."""

from django.urls import path

from taybac.web import views_logistics_reports

urlpatterns = [
    path("van-hanh/gom-hang/", views_logistics_reports.report, name="consolidation-report"),
    path("van-hanh/gom-hang/bao-cao.csv", views_logistics_reports.report_download, name="consolidation-report-csv"),
    path("buu-dien/gom-hang/", views_logistics_reports.office, name="consolidation-office"),
]
