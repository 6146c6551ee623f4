"""Serve the demo: the job worker in the background, the site in the foreground."""

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")}
    manage = [sys.executable, str(ROOT / "manage.py")]
    worker = subprocess.Popen([*manage, "run_worker", "--verbosity", "0"], env=env, cwd=ROOT)  # noqa: S603
    print(f"Job worker running (pid {worker.pid}).")
    print(
        f"Site: http://{args.host}:{args.port}/   Admin: http://{args.host}:{args.port}/admin/  (admin / newsdesk-demo)"
    )
    try:
        return subprocess.call([*manage, "runserver", f"{args.host}:{args.port}", "--noreload"], env=env, cwd=ROOT)  # noqa: S603
    except KeyboardInterrupt:
        return 0
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    sys.exit(main())
