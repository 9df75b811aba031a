"""khabar: evidence-linked records from Persian, Arabic and English news."""
