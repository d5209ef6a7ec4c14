"""The editor's dialogs: export, relink, recovery."""
