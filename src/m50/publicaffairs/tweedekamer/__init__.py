"""The Tweede Kamer's open data (Gegevensmagazijn, OData v4, CC0) read into public affairs."""
