"""Authentication: Django's model backend, with the demo accounts shut out of production."""

from django.contrib.auth.backends import ModelBackend

from m50.accounts import services


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        # Also checked for every request of a running session (get_user), so a demo account
        # signed in before the install became a production one is signed out, too.
        if services.demo_account_refused(user):
            return False
        return super().user_can_authenticate(user)
