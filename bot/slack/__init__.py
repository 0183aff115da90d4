"""The slack-bolt app: composition (`create_app`), listeners, views and the HTTP server."""
