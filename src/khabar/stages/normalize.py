"""Stage ``normalize.v1``: attach the display, search and glued views (see `khabar.normalize`)."""

from __future__ import annotations

from dataclasses import replace

from khabar.document import Document
from khabar.normalize import make_views
from khabar.pipeline import stage


@stage("normalize.v1", requires=("lang",), assigns=("views",))
def normalize(doc: Document) -> Document:
    """Build the normalised views with offset maps; the text itself is left untouched."""
    return replace(doc, views=make_views(doc.text, doc.lang))
