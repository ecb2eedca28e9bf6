"""Database plumbing the use cases call: driver-level reads and bulk inserts. No rules here."""
