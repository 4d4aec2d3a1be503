from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "m50.contacts"
    label = "contacts"
