"""Root conftest: shared fixtures live in tests/ modules registered here."""

pytest_plugins = ["tests.clock", "tests.fixtures_app", "tests.schedule"]
