"""watchers.csl."""
