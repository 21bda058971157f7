"""Disclosure, all of it in one place: default deny.

- `markers`: the 非公表 markers and disclosure values, read fail-closed (`scan_body`).
- `public`: the public view of the record on a given day (`public_record`): withheld and
  deferred items reduced to what may be published.
- `verify`: the verifier that reads every output file after a build and refuses the site if
  any withheld text reached it.
- `public_source`: `gijiroku check --public-source`, for a repository that is itself public.

Submodules are imported by name; this file imports nothing, so that the parsers can use
`markers` without pulling in the verifier.
"""
