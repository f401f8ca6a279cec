"""Pydantic models of workshop packs and sessions (plain Python, no Textual)."""
