"""Files: model checkpoints (safetensors) and atomic writes."""
