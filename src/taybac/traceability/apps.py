from django.apps import AppConfig


class TraceabilityConfig(AppConfig):
    name = "taybac.traceability"
    label = "traceability"
    verbose_name = "Truy xuất nguồn gốc"
