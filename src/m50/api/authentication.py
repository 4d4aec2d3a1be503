"""Token authentication of the API, with the demo accounts shut out of production."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from m50.accounts import services


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication; a demo account's token works only where demo accounts may
    sign in (the same rule as the login, :class:`m50.accounts.backends.AccountBackend`)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if services.demo_account_refused(user):
            # DRF's own words for an unknown token (its catalogue translates them): a caller
            # learns nothing about the account.
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return user, token
