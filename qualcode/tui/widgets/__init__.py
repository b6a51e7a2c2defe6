"""Widgets of the workbench: transcript, code tree, document tree, status bar."""
