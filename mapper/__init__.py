"""Articles -> mentions -> incidents; storage; folium maps; export; the CLI."""
