"""tests.watchers.federal_register."""
