"""Screens, one per module, each with its .tcss beside it."""
