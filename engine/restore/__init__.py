"""Film restoration stages: each module repairs one kind of wear (deflicker, dust, denoise, weave)."""
