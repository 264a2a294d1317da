"""The SPARQL endpoint, linked-data pages and web UI behind ``smartcity-kg serve``.

``app`` holds the Starlette routes, ``pool`` runs every query in a worker process that is
killed at the time limit, ``guard`` parses a query before anything runs it, ``pages`` gathers
what the HTML pages show. All of it calls the same library functions as the CLI.
"""
