"""Messages in the customer's language: Czech (the portal's, and the default) or English, as the
request's ``Accept-Language`` asks (``language``).

The code raises its messages in English (the source language, like gettext's msgids); the
catalogue (``catalogue``) holds each one's Czech and English text under a code, and
``translate`` renders a message in the request's language where it leaves the gateway: the
``errors[]`` of a GraphQL answer (``gateway.schema.errors``), a payload's ``UserError`` and
``NominationError`` messages, and the HTTP layer's refusals. A message the catalogue does not
know is said in Czech by its code's general text (``CODES``), never in English; only the
GraphQL parser's and validator's own messages, written for developers, stay English.
``tests/i18n/test_catalogue.py`` finds every message the code raises and names those missing.
"""
