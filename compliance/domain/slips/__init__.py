"""A slip: its record, signed token, printed words and page, and what is handed in to check."""
