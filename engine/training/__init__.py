"""Training: the live-reporting session, its payloads, evaluation, devices, schedules."""
