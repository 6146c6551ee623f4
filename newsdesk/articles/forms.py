from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from .models import SectionPage
from .search import MAX_QUERY_LENGTH, SearchFilters, clean_query


class _SectionChoices(ModelChoiceIterator):
    """The sections read with one plain query, not through `.iterator()`.

    On PostgreSQL `.iterator()` reads through a cursor, which the planner plans for its
    first rows: it walked every page in tree order to reach the sections, 300-500 ms at
    200,000 articles, on every search page. A handful of sections fits in memory.
    """

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for section in self.queryset:
            yield self.choice(section)


class _SectionField(forms.ModelChoiceField):
    iterator = _SectionChoices


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=10_000)
    section = _SectionField(
        label=_("Section"),
        queryset=SectionPage.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All sections"),
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per form, not at import: `.public()` reads the current view restrictions.
        self.fields["section"].queryset = SectionPage.objects.live().public().order_by("path")  # type: ignore[attr-defined]

    def clean_q(self) -> str:
        raw = self.cleaned_data["q"]
        if len(raw) > MAX_QUERY_LENGTH:
            raise forms.ValidationError(
                _("Please use at most %(n)d characters."), code="too_long", params={"n": MAX_QUERY_LENGTH}
            )
        return clean_query(raw)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The “From” date must be on or before the “To” date."))
        return data

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            query=data["q"], section=data.get("section"), since=data.get("since"), until=data.get("until")
        )
