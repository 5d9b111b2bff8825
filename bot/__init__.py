"""Slack wiring, settings and entry points for lhl."""
