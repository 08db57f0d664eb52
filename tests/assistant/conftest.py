"""The API tests' small catalogue (honey with an OCOP certificate, tea, plums in season) for the assistant."""

from tests.api.conftest import catalog, jpeg_bytes  # noqa: F401  (fixtures, and what catalog needs)
