"""Full-text search: the tokens (the twin of `docs/assets/search.js`), what a result is, the
index built at build time, and the reader of that index that the verifier uses."""
