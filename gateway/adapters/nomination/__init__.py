"""The nomination system (NOM v1, SOAP): large consumers' contracted diagrams and submissions."""
