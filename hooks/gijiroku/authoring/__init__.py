"""What staff run to write sources: `gijiroku import`, `gijiroku new` and the front-matter writer."""
