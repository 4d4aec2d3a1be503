from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PillarsConfig(AppConfig):
    name = "m50.pillars"
    label = "pillars"
    verbose_name = _("Pijlers en themagroepen")

    def ready(self):
        from m50.contacts.services import position_ended

        position_ended.connect(_position_ended, dispatch_uid="pillars.position_ended")

        from m50.core.search import index
        from m50.pillars import search

        index.provider_register(search.PILLAR_KIND, search.pillar_entries, label=_("Pijlers"))
        index.provider_register(search.GROUP_KIND, search.group_entries, label=_("Themagroepen"))
        index.provider_register(search.TOPIC_KIND, search.topic_entries, label=_("Onderwerpen"))
        # The shipped pillars come with a data migration, which cannot write the index.
        post_migrate.connect(_migrated, sender=self, dispatch_uid="pillars.search_index")


def _migrated(sender, using="default", **kwargs):
    from django.db import connections, transaction

    from m50.core.models import SearchEntry
    from m50.pillars import search
    from m50.pillars.models import Topic

    # Migrated back to before the index or the topics existed: nothing to put in step.
    tables = set(connections[using].introspection.table_names())
    if not {SearchEntry._meta.db_table, Topic._meta.db_table} <= tables:
        return
    with transaction.atomic(using=using):
        search.kinds_refresh()


def _position_ended(
    sender, position, end_date, previous_end_date=None, actor=None, origin="", **kwargs
):
    from m50.pillars.services import participations_end_with_position

    participations_end_with_position(
        position=position,
        end_date=end_date,
        previous_end_date=previous_end_date,
        actor=actor,
        origin=origin,
    )
