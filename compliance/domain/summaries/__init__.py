"""A summary of a period: the signed summary, its printed words, table of records and pages."""
