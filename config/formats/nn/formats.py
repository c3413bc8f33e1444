# Dates and times as the hospital writes them: "26. november 2026", "kl. 10.04", "26.11.2026".
DATE_FORMAT = "j. F Y"
TIME_FORMAT = r"\k\l. H.i"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = r"d.m.Y \k\l. H.i"
FIRST_DAY_OF_WEEK = 1
# What a person may type in a date field: dd.mm.åååå first, and the ISO form a browser sends.
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H.%M", "%d.%m.%Y %H:%M", "%d.%m.%Y kl. %H.%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
TIME_INPUT_FORMATS = ["%H.%M", "%H:%M", "kl. %H.%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
