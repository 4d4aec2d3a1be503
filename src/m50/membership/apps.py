from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "m50.membership"
    label = "membership"
