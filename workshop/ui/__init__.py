"""The Textual app: screens, panes, widgets and the stylesheet."""
