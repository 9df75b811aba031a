"""Statistical named-entity recognition for Persian and Arabic (CRF, CPU-only).

    >>> from khabar.ner import tag
    >>> [(s.text, s.type) for s in tag("سرگئی لاوروف با وانگ یی در پکن دیدار کرد", "fa")]  # doctest: +SKIP

`tag` returns `NerSpan` objects whose ``start``/``end`` are character offsets into the text it
was given. The models are trained by ``scripts/train_ner.py`` from the training splits of
``../shared/data`` and shipped in this folder with ``MODEL_CARD.md`` (data, licences, scores);
they are loaded lazily, once per process. This recogniser finds names that no gazetteer holds;
linking them to entities is the mentions layer's job (issue 4).
"""

from khabar.ner.tagger import NerSpan, Token, model_info, recogniser, tag, tokenize

__all__ = ["NerSpan", "Token", "model_info", "recogniser", "tag", "tokenize"]
