"""What the engine remembers from one build to the next, emptied at once.

Tokens, words and weights are remembered across builds: a rebuild after a list
change reads only the names it has not seen. A benchmark empties them all to
time a build as the first one after start-up.
"""

from __future__ import annotations

from screening.addresses import forget_address_tokens
from screening.normalize import forget_tokens
from screening.weights import forget_factors


def forget_memory() -> None:
    """Empty every memory a build fills."""
    forget_tokens()
    forget_address_tokens()
    forget_factors()
