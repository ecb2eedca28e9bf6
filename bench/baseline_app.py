"""The baseline for the HTTP benchmarks: the smallest Flask app, run under the same gunicorn.

Not run by itself: bench_verify_http.py and bench_worker_memory.py start it with
`gunicorn -c python:compliance.gunicorn_config --pythonpath bench baseline_app:app`.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/healthz")
def ok():
    return "ok"
