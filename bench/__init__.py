"""Benchmarks: the page benchmark (`pages.py`, `locustfile.py`, the raw-SQL baseline views
it compares the pages with) and the reminder sweep's (`reminder_sweep.py`)."""
