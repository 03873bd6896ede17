"""Vietnamese input formats, which Django's own "vi" locale leaves out.

Without them every date field of the admin read "05/01/2027" as 1 May 2027:
Django fell back to its month-first default. Vietnamese write day first.
The display formats stay Django's (django/conf/locale/vi/formats.py).
"""

# The first of each list is also how a form field shows a value.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M", "%Hh%M"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
