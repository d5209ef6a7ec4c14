"""Turning a project (or a plain source) into pixels: previews and the export job."""
