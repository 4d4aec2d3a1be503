"""The platform's Dutch date formats (FORMAT_MODULE_PATH); the rest is Django's nl locale.

Long form in text: ``2 december 2026`` (``|date`` or ``|date:"DATE_FORMAT"``). One short form
in tables: ``02-12-2026`` (``|date:"SHORT_DATE_FORMAT"``), fixed width so columns line up.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
