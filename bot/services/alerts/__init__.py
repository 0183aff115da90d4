"""Alerts: changes -> planned outbox rows -> Slack (or the terminal), exactly once."""
