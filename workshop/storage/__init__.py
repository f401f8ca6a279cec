"""Files: packs, session files, the lock, settings, exports."""
