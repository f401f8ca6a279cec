"""The rules of a session: models, operations, clock, ballots, tallies, report content.

Plain Python: no Textual, no files.
"""
