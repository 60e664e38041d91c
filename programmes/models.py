"""The models of this app."""
