"""entitywatch's benchmarks. ENTITYWATCH_SCREENING_BUILD measures a compiled screening
engine instead of the source (`python -m bench.compiled`, tests/compiled.py)."""

from tests.compiled import use_compiled_screening

use_compiled_screening()
