"""Each way of serving a level in one shape (``pipeline.level.Method``): it gets the level and returns what it found."""
