"""The Slack bot, alert sender, digest, scheduler, settings and the `entitywatch` CLI."""
