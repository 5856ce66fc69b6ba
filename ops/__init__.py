"""Operations: runs the site's periodic jobs, backups, health, metrics and database replicas.

The periodic jobs runner (``jobs.py``, ``run_jobs``) and its ledger (``JobRun``), the
statement timeout for long jobs (``maintenance.py``), backups and restores (``backups.py``,
``backup``, ``restore``), the health endpoint for load balancers (``views.py``), Prometheus
metrics (``metrics.py``), and reads from streaming replicas with the database router
(``routers.py``)."""
