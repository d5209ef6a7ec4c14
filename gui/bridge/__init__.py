"""Qt adapters over the engine: worker threads, the preview service, the open project."""
