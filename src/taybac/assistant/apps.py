from django.apps import AppConfig


class AssistantConfig(AppConfig):
    """The buyer assistant: reads buyers' chat messages and answers from the hub's own records (docs/assistant.md)."""

    name = "taybac.assistant"
    verbose_name = "Trợ lý người mua"
