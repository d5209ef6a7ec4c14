"""The editor's widgets: thin views over the project and the preview bridge."""
