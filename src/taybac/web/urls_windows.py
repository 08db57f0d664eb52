"""Routes of the harvest sales window pages (docs/selling-events.md, "Harvest sales windows")."""

from django.urls import path

from taybac.web import views_windows, views_windows_seller

urlpatterns = [
    path("dat-truoc/", views_windows.windows, name="window-list"),
    path("dat-truoc/<int:window_id>/", views_windows.window_page, name="window-page"),
    path("dat-truoc/<int:window_id>/dat/", views_windows.preorder, name="window-preorder"),
    path("dat-truoc/chon/<str:token>/", views_windows.choose, name="window-choose"),
    path("ban-hang/dat-truoc/", views_windows_seller.windows, name="seller-windows"),
    path("ban-hang/dat-truoc/<int:window_id>/", views_windows_seller.manage, name="seller-window"),
    path("ban-hang/dat-truoc/<int:window_id>/sua/", views_windows_seller.edit, name="seller-window-edit"),
    path("ban-hang/dat-truoc/<int:window_id>/dong/", views_windows_seller.close, name="seller-window-close"),
    path("ban-hang/dat-truoc/<int:window_id>/huy/", views_windows_seller.cancel, name="seller-window-cancel"),
    path(
        "ban-hang/dat-truoc/<int:window_id>/huy-don/<int:preorder_id>/",
        views_windows_seller.cancel_preorder,
        name="seller-preorder-cancel",
    ),
    path("ban-hang/dat-truoc/<int:window_id>/thu-hoach/", views_windows_seller.harvest, name="seller-window-harvest"),
]
