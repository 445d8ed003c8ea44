"""The web front: a FastAPI app with server-rendered Jinja2 pages, an entrypoint like the CLI.

It calls the same plain steps (:mod:`flows.steps`) as the flows, on the same store."""
