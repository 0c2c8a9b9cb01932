"""schedule: plans one-on-one business meetings for export promotion events.

Layers run one way: ``model`` (input, time grid) -> ``solve`` (CP-SAT) ->
``render`` (Jinja documents) -> ``cli``. The checker (``check``) reads only
the model and a finished schedule file.
"""

__version__ = "0.1.0"
