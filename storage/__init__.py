"""Models, sessions, queries, migrations and reference data for lhl."""
