"""The claims suite (see ``README.md`` here): ``report`` records what each claim test measured;
the root ``conftest.py`` prints every claim's numbers at the end of the run and writes them to
``test-artifacts/claims.txt``."""

import pytest


@pytest.fixture
def report(record_property):
    """``report("what was measured", spread_or_text)``: kept for the end-of-run summary."""

    def record(what: str, result) -> None:
        record_property("nnv_claim", f"{what}: {result}")

    return record
