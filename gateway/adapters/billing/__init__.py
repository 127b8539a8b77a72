"""Billing: SOAP (document/literal), called with zeep over httpx."""
