"""Thin views: parse, call one service, render. Visitor pages and the organiser's pages."""
