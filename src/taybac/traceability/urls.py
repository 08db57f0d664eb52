"""Mounted at /log/ by taybac.urls: the transparency log's public endpoints (docs/traceability.md)."""

from django.urls import path, re_path

from taybac.traceability import views

urlpatterns = [
    path("checkpoint", views.checkpoint, name="log-checkpoint"),
    path("key", views.key, name="log-key"),
    path("entries", views.entries, name="log-entries"),
    path("proof/inclusion", views.inclusion_proof, name="log-proof-inclusion"),
    path("proof/consistency", views.consistency_proof, name="log-proof-consistency"),
    re_path(r"^bundle/(?P<gtin>[0-9]{14})/(?P<lot>[^/]{1,20})$", views.bundle, name="log-bundle"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
