"""Turning a project (or a plain source) into pixels: previews and the export job.

Modules
-------
``spec``
    :class:`RenderSpec` per shot (the settings cascade plus the shot's hints, frozen and hashable;
    ``key`` is the cache key of its frames) and ``plan_film(project, overrides)``.
``pipeline``, ``stages``
    The stage registry (stabilize → deflicker → dust → denoise → colorize → upscale → interpolate)
    and the stages Relume has built in.
``film_export``, ``segments``, ``join``
    ``export_film(project, FilmExport(...))``: shot segments beside the target, resume, lossless join,
    verification.
``export``
    ``export_master(ExportRequest(...))``: a media file straight to a master, no stages.
``preview``, ``film_preview``, ``proxy``, ``chroma_upsample``
    The preview service, the project preview renderer and the intra-only proxy it reads.
"""
