"""The web layer: blueprints and their helpers. Thin: parse, call the domain, render."""
