"""Routes of the insights pages: the indicator dashboard, forecasts (docs/insights.md)."""

from django.urls import path

from taybac.web import views_advice, views_forecasts, views_insights, views_search_insights

urlpatterns = [
    path("so-lieu/", views_insights.summary, name="insights-summary"),
    path("so-lieu/tinh/", views_insights.dashboard, name="insights-dashboard"),
    path("so-lieu/tim-kiem/", views_search_insights.searches, name="insights-searches"),
    path("ban-hang/nguoi-mua-tim/", views_search_insights.shop_demand, name="seller-search-demand"),
    path("ban-hang/canh-bao-mua-vu/", views_advice.warnings_page, name="seller-advice"),
    path("so-lieu/du-bao/", views_forecasts.upload_page, name="forecast-uploads"),
    path("so-lieu/du-bao/vi-du.csv", views_forecasts.example, name="forecast-example"),
    path("so-lieu/du-bao/<int:pk>/du-bao.csv", views_forecasts.download, {"kind": "du-bao"}, name="forecast-download"),
    path("so-lieu/du-bao/<int:pk>/mo-hinh.csv", views_forecasts.download, {"kind": "mo-hinh"}, name="forecast-models"),
]
