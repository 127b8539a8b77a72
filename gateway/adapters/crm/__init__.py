"""CRM: REST/JSON, called with httpx."""
