"""workshop: facilitate a timed resourceful-leadership away-day from the terminal."""

__version__ = "0.1.0"
