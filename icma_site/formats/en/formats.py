"""English as the site has always written it: "29 November 2026", "November 2026"."""

DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
