"""Keeps the facts the figures need before retention erases them (see models.py)."""
