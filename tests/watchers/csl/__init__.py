"""tests.watchers.csl."""
