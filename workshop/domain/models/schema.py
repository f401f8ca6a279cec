"""The session file's schema number, apart from the models so listing files need not import pydantic."""

# Bumped by each incompatible change to the session model (see `workshop.storage.migrate`).
SCHEMA_VERSION = 1
