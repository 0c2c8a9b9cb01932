"""``python -m scheduler``: the ``schedule`` command. Light for the reason ``console.py`` gives: a
process the solver spawns runs this module again as it starts."""

from scheduler.console import main

if __name__ == "__main__":
    main()
