"""The meeting model: CP-SAT's time-indexed model of an event, the objective terms built on it and counted in plain Python, and who is taken when."""
