"""An officer's case: progress against the court order, the weekly chart, the signed report."""
