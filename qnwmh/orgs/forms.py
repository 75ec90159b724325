from __future__ import annotations

from django import forms

from qnwmh.orgs.models import Organisation, Sector, Town


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "body_kind",
            "town",
            "sector",
            "contact_phone",
            "contact_email",
            "active",
        ]

    def _post_clean(self) -> None:
        pass


class TownForm(forms.ModelForm):
    class Meta:
        model = Town
        fields = ["name", "kind", "also_known_as", "sort_order", "active"]

    def _post_clean(self) -> None:
        pass


class SectorForm(forms.ModelForm):
    class Meta:
        model = Sector
        fields = ["name", "sort_order", "active"]

    def _post_clean(self) -> None:
        pass
