"""Per-document stages: pure functions Document -> Document, registered by name."""
