"""tests.watchers.press."""
