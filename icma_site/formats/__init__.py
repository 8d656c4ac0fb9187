"""The site's own date and number formats where Django's for a language are not the
ones it uses (FORMAT_MODULE_PATH)."""
