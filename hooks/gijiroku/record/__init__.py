"""Sources to the frozen model: reading files, schemas, the meeting and decision parsers,
registries, the cross-file rules, and the loader that puts them together. Never imports MkDocs."""
