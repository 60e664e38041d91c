"""Workspace pages (events); routes are added with the views."""

urlpatterns: list = []
