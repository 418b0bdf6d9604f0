"""Real Celery workers on the real Redis, against the test database.

These tests need PostgreSQL (row locks across processes) and a Redis server; CI has both.
Each test gets its own queue, so nothing left on the broker reaches it.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent


def _need_servers():
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        message = "The worker tests need DATABASE_URL (PostgreSQL) and REDIS_URL."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, *, timeout=60, what="it"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting for {what}.")


class Workers:
    """Start and stop `celery worker` processes on one queue and one broker."""

    def __init__(self, *, broker, mail_dir, logs, delay):
        self.broker, self.mail_dir, self.logs, self.delay = broker, mail_dir, logs, delay
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.processes = []

    def env(self):
        settings = connection.settings_dict
        database = (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="cspr.settings.test",
            DATABASE_URL=database,
            REDIS_URL=self.broker,
            TEST_EMAIL_BACKEND="tests.support.mail.OneFilePerMessage",
            TEST_EMAIL_FILE_PATH=str(self.mail_dir),
            TEST_MAIL_DELAY=str(self.delay),
            REMINDER_SEND_FROM_HOUR="0",
        )
        return env

    def start(self):
        name = f"w{len(self.processes)}-{self.queue}"
        log = self.logs / f"{name}.log"
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cspr",
                "worker",
                "--pool=solo",
                "-Q",
                self.queue,
                "-n",
                f"{name}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        wait_for(lambda: b" ready." in log.read_bytes() or process.poll() is not None, what="ready")
        if process.poll() is not None:
            raise AssertionError(f"The worker did not start:\n{log.read_text()}")
        return process

    def send(self, task="cspr.tasks.send_reminders"):
        app = Celery(broker=self.broker)
        try:
            app.send_task(task, queue=self.queue)
        finally:
            app.close()

    def kill(self, process):
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.kill(process)


@pytest.fixture
def mail_dir(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def workers_on(tmp_path, mail_dir, transactional_db):
    """A factory: `workers_on(broker_url, delay=…)` gives a `Workers`; all are stopped after."""
    _need_servers()
    made = []

    def make(broker, *, delay=0.0):
        workers = Workers(broker=broker, mail_dir=mail_dir, logs=tmp_path, delay=delay)
        made.append(workers)
        return workers

    yield make
    for workers in made:
        workers.stop_all()


@pytest.fixture
def redis_url():
    _need_servers()
    return os.environ["REDIS_URL"]


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server of this test's own, to stop and start again."""
    _need_servers()
    binary = shutil.which("redis-server")
    if not binary:
        pytest.fail("redis-server is not installed.")
    port = free_port()

    class Server:
        url = f"redis://127.0.0.1:{port}/0"
        process = None

        def start(self):
            self.process = subprocess.Popen(  # noqa: S603
                [
                    binary,
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
            )
            wait_for(self.answers, timeout=10, what="Redis")

        def answers(self):
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0

        def stop(self):
            self.process.terminate()
            self.process.wait(timeout=10)

    server = Server()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()
