from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PillarsConfig(AppConfig):
    name = "m50.pillars"
    label = "pillars"
    verbose_name = _("Pijlers en themagroepen")

    def ready(self):
        from m50.contacts.services import position_ended

        position_ended.connect(_position_ended, dispatch_uid="pillars.position_ended")


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
