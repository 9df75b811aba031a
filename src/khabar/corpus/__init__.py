"""Corpus-level work over analysed documents: near-duplicates, stories, cross-document inference."""
