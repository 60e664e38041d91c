"""Workspace pages (home); routes are added with the views."""

urlpatterns: list = []
