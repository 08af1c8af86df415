"""Offline gazetteer: place names -> places. Knows nothing of articles or maps."""
