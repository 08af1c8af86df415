"""The Flask app: pages and a JSON/GeoJSON API over mapper's store."""
