"""Stages registered by name and the pipeline that runs them over documents.

A stage is a pure function ``Document -> Document``: no global mutable state, picklable input
and output, so the same callable runs in a test, in the CLI and inside Spark's mapPartitions.
Stages are registered under a versioned name (``"clean.v1"``) and say which layers they need
and which they set, as spaCy components do.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from khabar.document import Document
from khabar.errors import StageError

StageFn = Callable[[Document], Document]


@dataclass(frozen=True, slots=True)
class StageInfo:
    name: str
    func: StageFn
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str


_REGISTRY: dict[str, StageInfo] = {}  # filled at import time only, read-only afterwards


def stage(name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = ()) -> Callable[[StageFn], StageFn]:
    """Register a stage function under ``name`` (versioned, e.g. ``"clean.v1"``)."""

    def register(func: StageFn) -> StageFn:
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise StageError(f"stage {name!r} registered twice; give the new one another version suffix")
        _REGISTRY[name] = StageInfo(name, func, tuple(requires), tuple(assigns), (func.__doc__ or "").strip())
        return func

    return register


def _load_builtin_stages() -> None:
    # Importing the modules runs their @stage decorators.
    from khabar.stages import (  # noqa: F401
        attribution,
        clean,
        events,
        langid,
        mentions,
        normalize,
        pubdate,
        quotes,
        times,
    )


def get_stage(name: str) -> StageInfo:
    _load_builtin_stages()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise StageError(f"unknown stage {name!r}; known stages: {known}") from None


def registered_stages() -> list[StageInfo]:
    _load_builtin_stages()
    return sorted(_REGISTRY.values(), key=lambda s: s.name)


DEFAULT_STAGES: tuple[str, ...] = ("clean.v1", "langid.v1", "normalize.v1", "pubdate.v1", "times.v1", "mentions.v1",
                                     "attribution.v1", "quotes.v1", "events.v1")


@dataclass(frozen=True, slots=True)
class Pipeline:
    """An ordered list of stage names; calling it runs them in order on one document."""

    stages: tuple[str, ...] = DEFAULT_STAGES

    def __post_init__(self) -> None:
        for name in self.stages:
            get_stage(name)

    def __call__(self, doc: Document) -> Document:
        for name in self.stages:
            info = get_stage(name)
            try:
                result = info.func(doc)
            except Exception as exc:  # a stage bug must not cost the batch: record it on the doc
                tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
                doc = doc.with_issue("stage_failed", f"{name} failed: {tb}")
                continue
            if not isinstance(result, Document):
                raise StageError(f"stage {name!r} returned {type(result).__name__}, not a Document; "
                                 "a stage must return the (new) document")
            doc = result
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)
