"""The public record to pages: one build's state, cross-references, view models, rendering, URLs,
the JSON API, the feed, charts, the CSP fence and the Jinja templates (`templates/`)."""
