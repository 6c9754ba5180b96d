"""The HTML and linked-data pages: resources, the home page, browse and search, the ontology and the query page."""
