"""Speaking the user's language: which language a request or command gets, words for the
stored values, numbers and dates written and read the way the language writes them, and
the Ukrainian alphabetical order. Used by every layer above the models; the switch between
languages is a page of its own (crm.language)."""
