from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """What the law asks of the operator: tax declarations and statements, personal-data requests and consent,
    retention (docs/compliance.md)."""

    name = "taybac.compliance"
    verbose_name = "Tuân thủ pháp luật"

    def ready(self) -> None:
        from taybac.compliance.consent import consented_recipients
        from taybac.core import outbox

        outbox.register_consent_check(consented_recipients)  # marketing messages only to those who agreed
