"""The portal's own words for Django's generic form messages.

A field without a message of its own falls back on Django's: "Feltet er påkrevet.", "Oppgi en
gyldig e-postadresse" (no full stop), "Enter a valid date." The catalogues in locale/ take
precedence over Django's own, so they carry the portal's wording for these message ids, in
Bokmål, Nynorsk and English. This module only names the ids, so `makemessages` keeps them in
the catalogues; nothing imports it. The words themselves are in locale/*/LC_MESSAGES/django.po.

A field that can say something more precise ("Write the address or the @handle …") still
should: these are the fallbacks.
"""

from django.utils.translation import gettext_lazy, ngettext_lazy

DJANGO_MESSAGES = (
    gettext_lazy("This field is required."),
    gettext_lazy("Enter a valid email address."),
    gettext_lazy("Enter a valid date."),
    gettext_lazy("Enter a valid date/time."),
    gettext_lazy("Enter a valid time."),
    gettext_lazy("Enter a number."),
    gettext_lazy("Enter a whole number."),
    gettext_lazy("Enter a valid URL."),
    gettext_lazy("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_lazy("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_lazy("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_lazy("Select a valid choice. That choice is not one of the available choices."),
    gettext_lazy("Enter a list of values."),
    gettext_lazy("The submitted file is empty."),
    gettext_lazy("No file was submitted. Check the encoding type on the form."),
    gettext_lazy("This field cannot be blank."),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
)
