"""entitywatch's tests. ENTITYWATCH_SCREENING_BUILD runs them against a compiled screening
engine instead of the source (tests/compiled.py); the hook is here so that it comes
before any test module imports `screening`."""

from tests.compiled import use_compiled_screening

use_compiled_screening()
