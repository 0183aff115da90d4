"""`entitywatch demo`: recorded sources replayed by a local server, the real watchers polling."""
