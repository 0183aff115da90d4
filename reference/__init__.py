"""Reference data shared by parsers and renderers: countries, list codes.

Imports nothing of ours, so every package may import it.
"""
