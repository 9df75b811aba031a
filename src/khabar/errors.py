"""One exception hierarchy for programmer and configuration errors.

Data problems in one input never raise out of a batch: readers turn them into `Rejection`
records and stages record them on the document (``Document.issues``). What raises is what the
user must fix before anything can run:

    KhabarError
    ├── ConfigError          a setting, path or option is wrong
    ├── ResourceError        a language data file or model is missing or malformed
    ├── StageError           a stage is unknown, or returned something other than a Document
    └── StoreError           the SQLite store cannot be opened, migrated or written

Every message says what to do next.
"""

from __future__ import annotations


class KhabarError(Exception):
    """Base of every error khabar raises on purpose."""


class ConfigError(KhabarError):
    """A setting, path or command-line option is wrong."""


class ResourceError(KhabarError):
    """A language data file or a model cannot be loaded."""


class StageError(KhabarError):
    """A pipeline stage is unknown or misbehaved."""


class StoreError(KhabarError):
    """The SQLite store cannot be opened, migrated or written."""


__all__ = ["ConfigError", "KhabarError", "ResourceError", "StageError", "StoreError"]
