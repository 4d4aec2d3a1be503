from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "m50.accounts"
    label = "accounts"
