from django.apps import AppConfig


class AssistantConfig(AppConfig):
    """The buyer assistant: reads buyers' chat messages and answers from the hub's own records (docs/assistant.md)."""

    name = "taybac.assistant"
    verbose_name = "Trợ lý người mua"

    def ready(self) -> None:
        """Give the outbox (core) the senders of the Zalo and Messenger replies."""
        from taybac.assistant.channels import register_senders

        register_senders()
