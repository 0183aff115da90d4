"""The weekly digest: what happened on the watched lists in a window of time.

    data.collect_digest(session, since=, until=)  -> model.Digest     (queries only)
    tally.*                                        rows -> sections   (pure)
    render.digest_text / render.digest_blocks      Digest -> terminal text / Block Kit
    chart.digest_chart_png                         Digest -> PNG bytes (matplotlib, Agg)
    post.post_digest(client, channel=, digest=)    Slack: one message, the chart in its thread

The modules are imported one by one (not re-exported here) so that printing a
digest never pays for importing matplotlib.
"""
