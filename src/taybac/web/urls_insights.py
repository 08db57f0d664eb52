"""Routes of the insights pages: the indicator dashboard, forecasts (docs/insights.md)."""

from django.urls import path

from taybac.web import views_advice, views_insights

urlpatterns = [
    path("so-lieu/", views_insights.summary, name="insights-summary"),
    path("so-lieu/tinh/", views_insights.dashboard, name="insights-dashboard"),
    path("ban-hang/canh-bao-mua-vu/", views_advice.warnings_page, name="seller-advice"),
]
