"""HTTP: one blueprint per audience; views validate, call a service, render."""
