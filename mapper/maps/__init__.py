"""Maps and files users hand on: the folium map, its layers and offline assets, exports."""
