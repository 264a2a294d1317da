"""smartcity-kg: a Smart City topic knowledge graph with named SPARQL queries."""

__version__ = "0.1.0"
