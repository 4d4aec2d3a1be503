from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "m50.membership"
    label = "membership"

    def ready(self):
        from m50.core.derived import projection_register
        from m50.membership import projection
        from m50.municipalities.services import dissolutions_changed

        projection_register(
            name=projection.NAME,
            check=projection.status_periods_differences,
            rebuild=projection.status_periods_rebuild,
        )
        dissolutions_changed.connect(
            _dissolutions_changed, dispatch_uid="membership.dissolutions_changed"
        )


def _dissolutions_changed(sender, municipality_ids, **kwargs):
    from m50.membership.services import memberships_dissolution_refresh

    memberships_dissolution_refresh(municipality_ids=municipality_ids)
