"""Sources, their pure parsers, the pure diff, and the poll runner. No Slack here."""
