import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from m50.accounts import services

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
RESET_ORIGIN = "wachtwoordherstel"


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Deze combinatie van gebruikersnaam en wachtwoord is onbekend. Let op: na "
            "herhaalde mislukte pogingen wordt inloggen tijdelijk geblokkeerd."
        ),
        "inactive": _("Dit account is niet actief."),
    }


class ResetRequestForm(PasswordResetForm):
    """Asks for the account's e-mail address. Whether the address is known is never shown: the
    answer is the same; an account that was sent enough links this hour gets no more."""

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"class": TEXTBOX, "autocomplete": "email"}),
        error_messages={
            "required": _("Vul het e-mailadres van uw account in."),
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."),
        },
    )

    def get_users(self, email):
        since = timezone.now() - datetime.timedelta(hours=1)
        for user in super().get_users(email):
            sent = services.password_reset_requests_since(user=user, since=since)
            if sent >= settings.M50_PASSWORD_RESET_PER_ACCOUNT:
                continue
            services.user_password_reset_request(user=user, origin=RESET_ORIGIN)
            yield user


# Django's own Dutch catalogue misses some of its validators' messages (their English text
# changed in 5.2): the validators' codes mapped to Dutch, the rest kept as Django words them.
PASSWORD_MESSAGES = {
    "password_too_short": _("Dit wachtwoord is te kort: gebruik ten minste %(min_length)d tekens."),
    "password_too_similar": _("Dit wachtwoord lijkt te veel op uw %(verbose_name)s."),
    "password_too_common": _("Dit wachtwoord wordt te veel gebruikt; kies een ander."),
    "password_entirely_numeric": _("Dit wachtwoord bestaat alleen uit cijfers."),
}


def _dutch(error: ValidationError) -> ValidationError:
    messages = []
    for item in error.error_list:
        message = PASSWORD_MESSAGES.get(item.code)
        messages.append(
            ValidationError(message, code=item.code, params=item.params) if message else item
        )
    return ValidationError(messages)


class NewPasswordForm(SetPasswordForm):
    """The new password, twice; set through the accounts service (audited)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, autocomplete in (
            ("new_password1", "new-password"),
            ("new_password2", "new-password"),
        ):
            self.fields[name].widget.attrs.update({"class": TEXTBOX, "autocomplete": autocomplete})
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password2"].label = _("Nieuw wachtwoord (nogmaals)")
        self.fields["new_password1"].help_text = _(
            "Ten minste 12 tekens; geen veelgebruikt wachtwoord, niet alleen cijfers en niet "
            "te veel gelijk aan uw naam of e-mailadres."
        )
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": _("De twee wachtwoorden zijn niet gelijk."),
        }

    def validate_password_for_user(self, user, password_field_name=None):
        password_field_name = password_field_name or "new_password2"
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, _dutch(error))

    def save(self, commit=True):
        services.user_password_set(
            user=self.user,
            password=self.cleaned_data["new_password1"],
            actor=self.user,
            origin=RESET_ORIGIN,
        )
        return self.user
