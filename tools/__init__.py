"""The project's tooling: the benchmarks (``tools/bench``), the fault drills (``tools/drills``),
the cluster of real engines they and the cluster tests run (``tools/cluster``) and the README's
screenshots.

Tooling imports the apps and is imported by the tests, never the reverse: no app imports
``tools`` or ``tests``, and ``tools`` never imports ``tests`` (tests/test_architecture.py).
Server configuration stays in ``deploy/`` (nginx templates, gunicorn.conf.py, serve.sh).
"""
