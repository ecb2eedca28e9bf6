"""Building blocks for the printed documents: QR codes, fonts, right-to-left text, fitted text,
deterministic files, and reading back the verify URL a document carries.
"""
