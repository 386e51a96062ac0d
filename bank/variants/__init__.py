"""One module per later chapter: each a variation on the bank's core
(`bank`), importing only the core, never another variant."""
