"""The per-document guard: every document is read and extracted in a worker process, under a time
limit and a memory limit, and whatever happens there comes back as a result or as a ``ReadError``
with its reason, never as an exception that stops the batch.

- a reader's own refusal (``ReadError``): passed on as it is;
- any other exception in a reader or an extractor (a library's ``IndexError``, ``PdfiumError`` …):
  ``ReadError`` code ``reader-error`` with the exception's type and message;
- ``MemoryError`` (the worker's address space is capped at what it holds plus
  ``settings.DOCUMENT_MEMORY_LIMIT_BYTES`` while it works on one document): code ``out-of-memory``;
- a worker that dies (a segfault in a C library, the kernel's OOM killer, ``kill -9``): code
  ``worker-died`` with the signal; a new worker takes the next document;
- a document still running at ``settings.DOCUMENT_TIME_LIMIT_SECONDS``: its worker is stopped
  (SIGTERM, on which it unwinds: a LibreOffice conversion it runs is killed and its files removed;
  SIGKILL if it has not exited within a grace period) and the document is recorded with code ``timeout``.

Results come back in the order the jobs were given, so a batch writes the same catalogue whatever
the number of workers. SQLite has one writer: the caller writes, one transaction per document.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Iterable, Iterator, NamedTuple

from extractors.errors import ReadError
from extractors.reader import read_bytes, read_file_bytes
from nlp.base import Home
from nlp.extract import Extraction, extract, warm_up

from . import settings
from .prepared import Prepared
from .rawstore import RawStore

# Jobs taken from the caller's iterable ahead of the results yielded, per worker: keeps every worker
# busy while bounding the bytes held (a job may carry a whole file). Results are yielded in order, so
# a slow document holds back the ones after it: with 2 per worker the others ran dry behind it (84%
# busy on 2 workers, measured on the benchmark's mixed files), with 4 they go on past it (94%).
JOBS_AHEAD_PER_WORKER = 4


@dataclass(slots=True)
class Job:
    """One document: its bytes (``data``) or a file to read (``path``), named ``name`` in the catalogue.
    ``raw``: the raw store's folder, where the worker keeps the bytes itself (else they are sent back
    compressed when it read them from ``path``)."""

    name: str
    path: str | None = None
    data: bytes | None = None
    home: Home | None = None
    raw: str | None = None


class Outcome(NamedTuple):
    """What became of one job: an extraction and what its writer needs of it (``prepared``: its search
    text, fingerprint and compressed bytes), or the error that says why not."""

    name: str
    extraction: Extraction | None
    prepared: Prepared | None
    error: ReadError | None


def run_job(job: Job) -> Outcome:
    """Read and extract one document, turning every exception into a ``ReadError`` (runs in a worker)."""
    try:
        data = job.data if job.data is not None else read_file_bytes(job.path or job.name)
        extraction = extract(read_bytes(data, job.name), job.home)
        if job.raw is not None:
            RawStore(job.raw).put(data)  # content-addressed, written to a temporary file and renamed: any process may
        unkept = data if job.data is None and job.raw is None else None
        return Outcome(job.name, extraction, Prepared.of(extraction, unkept, raw_kept=job.raw is not None), None)
    except ReadError as exc:
        exc.path = exc.path or job.name
        return Outcome(job.name, None, None, _plain(exc))
    except MemoryError:
        limit = settings.DOCUMENT_MEMORY_LIMIT_BYTES // 2**20
        return _failed(job, f"needs more memory than the {limit} MB allowed per document "
                            "(CCHC_DOCUMENT_MEMORY_LIMIT_MB)", "out-of-memory")
    except RecursionError:
        return _failed(job, "nested too deeply to read", "damaged")
    except Exception as exc:  # noqa: BLE001 - the guard's purpose: any reader or extractor bug is this file's failure
        return _failed(job, f"could not be read: {type(exc).__name__}: {_one_line(exc)}", "reader-error")


def _failed(job: Job, reason: str, code: str) -> Outcome:
    return Outcome(job.name, None, None, _plain(ReadError(reason, job.name, code)))


def _plain(error: ReadError) -> ReadError:
    """The error without the exception it was raised from or during: only its reason, file and code
    travel back. (Where tblib is installed, as by Dask's ``distributed``, an exception pickles its
    chain too, and a library's exception there may not pickle: lxml's error log does not.)"""
    error.__cause__ = error.__context__ = error.__traceback__ = None
    error.__suppress_context__ = True
    return error


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or "(no message)"


# --- the worker process -----------------------------------------------------------------------

def _die_with_parent() -> None:
    """A worker whose parent is killed (SIGKILL, OOM) exits instead of lingering."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before the call above
        os._exit(1)


def _on_sigterm(signum, frame) -> None:  # noqa: ARG001
    """Stopped at the time limit: unwind, so that ``finally`` blocks run (a LibreOffice conversion kills
    its process group and its temporary folder is removed), then exit."""
    raise SystemExit(128 + signal.SIGTERM)


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def _limit_memory(budget: int) -> None:
    """Cap this worker's address space at what it holds now plus ``budget`` (soft limit only, so a
    child such as LibreOffice can raise it back)."""
    if budget <= 0 or not sys.platform.startswith("linux"):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = _address_space() + budget
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _worker_main(conn: Connection, memory_budget: int, scratch: str) -> None:
    _die_with_parent()
    tempfile.tempdir = scratch  # every temporary file of this worker's readers, removed with the worker
    os.environ["TMPDIR"] = scratch
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the workers
    signal.signal(signal.SIGTERM, _on_sigterm)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        _limit_memory(memory_budget)
        outcome = run_job(job)
        try:
            conn.send(outcome)
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled is this file's failure
            conn.send(_failed(job, f"result could not be passed back: {type(exc).__name__}: {_one_line(exc)}",
                              "reader-error"))


class _Worker:
    def __init__(self, memory_budget: int) -> None:
        context = multiprocessing.get_context("fork")  # the parent has imported the readers: a fork is cheap
        self.conn, child = context.Pipe()
        self.scratch = tempfile.mkdtemp(prefix="cchc-worker-")
        self.process = context.Process(target=_worker_main, args=(child, memory_budget, self.scratch), daemon=True,
                                       name="cchc-extract")
        self.process.start()
        child.close()
        self.index: int | None = None
        self.job: Job | None = None
        self.deadline = 0.0

    @property
    def busy(self) -> bool:
        return self.index is not None

    def start(self, index: int, job: Job, time_limit: float) -> None:
        self.index, self.job = index, job
        self.deadline = time.monotonic() + time_limit
        self.conn.send(job)

    def finish(self) -> tuple[int, Job]:
        index, job = self.index, self.job
        self.index = self.job = None
        return index, job  # type: ignore[return-value]

    def stop(self, grace: float = settings.WORKER_STOP_GRACE_SECONDS, *, working: bool | None = None) -> None:
        """An idle worker is asked to end; a working one gets SIGTERM (it unwinds: its LibreOffice is
        killed, its files removed); either is killed if it has not exited within ``grace``."""
        working = self.busy if working is None else working
        if self.process.is_alive() and not working:
            try:
                self.conn.send(None)  # the end of the work: the worker returns from its loop
            except OSError:
                pass  # it is gone already
            self.process.join(grace)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(grace)
            if self.process.is_alive():
                self.process.kill()
        self.process.join()
        self.conn.close()
        shutil.rmtree(self.scratch, ignore_errors=True)  # what a killed worker could not remove itself


def death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        why = {"SIGKILL": " (killed: out of memory, or by someone)", "SIGSEGV": " (crashed in a reader library)",
               "SIGABRT": " (aborted by a reader library)", "SIGBUS": " (crashed in a reader library)"}
        return f"the extraction worker died of {name}{why.get(name, '')}"
    return f"the extraction worker exited with status {exitcode}"


class Guard:
    """A pool of ``workers`` guarded extraction processes. Use as a context manager, or call ``close``.

    ``run(jobs)`` yields one ``Outcome`` per job, in order; nothing a document does stops it.
    """

    def __init__(self, workers: int = 1, *, time_limit: float | None = None,
                 memory_limit: int | None = None) -> None:
        self.size = max(1, workers)
        self.time_limit = settings.DOCUMENT_TIME_LIMIT_SECONDS if time_limit is None else time_limit
        self.memory_limit = settings.DOCUMENT_MEMORY_LIMIT_BYTES if memory_limit is None else memory_limit
        self._workers: list[_Worker] = []

    def __enter__(self) -> "Guard":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            worker.stop(0 if worker.busy else settings.WORKER_STOP_GRACE_SECONDS)
        self._workers.clear()

    def one(self, job: Job) -> Outcome:
        return next(self.run([job]))

    def _idle_worker(self) -> _Worker | None:
        idle = next((w for w in self._workers if not w.busy), None)
        if idle is None and len(self._workers) < self.size:
            warm_up()  # the workers inherit what extraction loads, instead of each loading it
            idle = _Worker(self.memory_limit)
            self._workers.append(idle)
        return idle

    def _retire(self, worker: _Worker, *, working: bool = False) -> None:
        worker.stop(working=working)
        self._workers.remove(worker)

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        source = iter(jobs)
        queue: deque[tuple[int, Job]] = deque()
        done: dict[int, Outcome] = {}
        issued = yielded = 0
        exhausted = False
        while True:
            while not exhausted and issued - yielded < self.size * JOBS_AHEAD_PER_WORKER:
                job = next(source, None)
                if job is None:
                    exhausted = True
                else:
                    queue.append((issued, job))
                    issued += 1
            while queue and (worker := self._idle_worker()) is not None:
                index, job = queue.popleft()
                try:
                    worker.start(index, job, self.time_limit)
                except OSError:  # the idle worker was killed from outside: a new one takes the job
                    worker.finish()
                    queue.appendleft((index, job))
                    self._retire(worker)
            while yielded in done:
                yield done.pop(yielded)
                yielded += 1
            if exhausted and yielded == issued:
                return
            busy = [w for w in self._workers if w.busy]
            if not busy:
                continue
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
            for worker in busy:
                if worker.conn in ready or worker.conn.poll():
                    self._collect(worker, done)
                elif worker.process.sentinel in ready:
                    worker.process.join()
                    index, job = worker.finish()
                    done[index] = _failed(job, death_reason(worker.process.exitcode), "worker-died")
                    self._retire(worker)
                elif time.monotonic() >= worker.deadline:
                    index, job = worker.finish()
                    done[index] = _failed(job, f"took longer than the {self.time_limit:g} s allowed per document "
                                               "(CCHC_DOCUMENT_TIME_LIMIT); stopped", "timeout")
                    self._retire(worker, working=True)

    def _collect(self, worker: _Worker, done: dict[int, Outcome]) -> None:
        try:
            outcome = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join()
            index, job = worker.finish()
            done[index] = _failed(job, death_reason(worker.process.exitcode), "worker-died")
            self._retire(worker)
            return
        index, _ = worker.finish()
        done[index] = outcome
        if outcome.error is not None and outcome.error.code == "out-of-memory":
            self._retire(worker)  # after a MemoryError its heap may be in pieces: a fresh worker goes on


def guarded(jobs: Iterable[Job], workers: int = 1) -> Iterator[Outcome]:
    """``Guard(workers).run(jobs)``, closing the workers when the iteration ends."""
    with Guard(workers) as guard:
        yield from guard.run(jobs)
