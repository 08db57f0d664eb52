"""URL map: storefront and seller centre (web), JSON API (api), Django admin for operators."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("quan-tri/", admin.site.urls),
    path("api/v1/", include("taybac.api.urls")),
    path("log/", include("taybac.traceability.urls")),
    path("", include("taybac.web.urls")),
    # Media are served by the app on the embedded default; production puts the proxy in front (docs/deploy.md).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]

# Django's error pages, except under /api/v1/ where every answer is the API's JSON error envelope.
handler400 = "taybac.api.errors.bad_request"
handler403 = "taybac.api.errors.permission_denied"
handler404 = "taybac.api.errors.page_not_found"
handler500 = "taybac.api.errors.server_error"
