from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "taybac.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
