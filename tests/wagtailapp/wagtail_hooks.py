"""The snippet whose chooser creates one: the chooser's "create" tab posts its form (and its
file's key) to another view than the chooser that rendered it."""

from __future__ import annotations

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Leaflet


class LeafletChooserViewSet(SnippetChooserViewSet):
    form_fields = ["title", "file"]


class LeafletViewSet(SnippetViewSet):
    model = Leaflet
    chooser_viewset_class = LeafletChooserViewSet


register_snippet(LeafletViewSet)
