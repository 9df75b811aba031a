"""Stage ``normalize.v1``: attach the display, search, glued and match views (see `khabar.normalize`)."""

from __future__ import annotations

from dataclasses import replace

from khabar.document import Document
from khabar.normalize import make_views, match_view
from khabar.pipeline import stage


@stage("normalize.v1", requires=("lang",), assigns=("views",))
def normalize(doc: Document) -> Document:
    """Build the normalised views (display, search, glued, match) with offset maps; the text is left untouched."""
    # the `match` view is shared by the stages that look for cue words (see khabar.discourse)
    return replace(doc, views=(*make_views(doc.text, doc.lang), match_view(doc.text)))
