from tests.web.centre.conftest import otp_outbox, world  # noqa: F401  (the seller pages' shared world)
