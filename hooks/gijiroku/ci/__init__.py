"""What the GitHub workflows (.github/workflows/) run: each module here is a command of its own.

- `github`: the GitHub REST API through urllib (the workflow's GITHUB_TOKEN), no dependency.
- `deploy_issue`: a failed deploy opens an issue, or comments on the one still open.
- `publishes`: the pull-request comment saying what merging would publish.
- `incoming`: a file uploaded to incoming/ becomes minutes/<n>.md on its branch.

The workflows call them as `python -m gijiroku.ci.<module>`; the tests run them the same way,
against a fake GitHub on localhost (tests/fake_github.py) and temporary git repositories.
"""
