from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """What the law asks of the operator: tax declarations and statements, personal-data requests and consent,
    retention (docs/compliance.md)."""

    name = "taybac.compliance"
    verbose_name = "Tuân thủ pháp luật"
