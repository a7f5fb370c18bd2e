"""Web forms shared by the apps' pages."""

from django import forms


class FileForm(forms.Form):
    """One uploaded file (a CSV/XLSX to check before importing it). Not required here: the view's service
    names a missing, empty, too large or unreadable file at `file` in its own words (the API's words)."""

    file = forms.FileField(required=False, allow_empty_file=True)


class CellsForm(forms.Form):
    """A grid of cells whose inputs depend on the page (dates × metrics): the view reads them itself and
    the service's refusals, named by cell, show above the grid."""
