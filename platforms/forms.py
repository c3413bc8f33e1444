from django import forms

from core.widgets import FastSelect, NameChoices

from .models import Platform


class PlatformChoiceField(forms.ModelChoiceField):
    """One of the catalogue's platforms, chosen by its slug."""

    iterator = NameChoices

    def __init__(self, **kwargs):
        # Only what a choice needs: the rules and icons are large and not shown here.
        queryset = Platform.objects.only("pk", "slug", "name", "position")
        super().__init__(queryset=queryset, to_field_name="slug", widget=FastSelect, **kwargs)
