"""The click command line: thin modules that parse options, call the library and render."""
