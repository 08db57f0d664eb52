from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "taybac.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self) -> None:
        from taybac.accounts import identity_crypto  # noqa: F401  (registers the deploy check on the identity key)
