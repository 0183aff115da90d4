"""bot.cli.output."""
