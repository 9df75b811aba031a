"""Readers turn input files and streams into `Document`s or `Rejection`s (see `readers.base`).

`read_inputs` is the entry point: it takes files, directories and ``-`` (JSON Lines on stdin),
dispatches each file by its name (`readers.files`) and yields exactly one `ReadResult` per input
item, never raising on bad data.
"""

from khabar.readers.base import REASONS, ReadResult, Rejection
from khabar.readers.encoding import DecodedText, DecodeFailure, decode_text
from khabar.readers.files import DEFAULT_MAX_BYTES, count_input_files, file_kind, read_file, read_inputs

__all__ = [
    "DEFAULT_MAX_BYTES",
    "REASONS",
    "DecodeFailure",
    "DecodedText",
    "ReadResult",
    "Rejection",
    "count_input_files",
    "decode_text",
    "file_kind",
    "read_file",
    "read_inputs",
]
