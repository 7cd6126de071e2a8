"""Running many solves side by side: in threads, in a local process pool, or on a Dask cluster.

One runner serves every command that solves many scenarios at once (``compare``, its value
of equipment, ``batch``). :class:`Runner` hands out :class:`concurrent.futures.Future` s
whatever runs the calls, so callers wait on them one way; :func:`run_many` feeds it a long
stream of calls a window at a time (memory stays flat) and re-runs the calls a crashed
worker process took with it.

- **threads** (compare's default): CP-SAT releases the GIL while it searches, so solves run
  in parallel as they would in processes, with no process start-up or pickling, and Ctrl-C
  stops every running search at once (a stop token, :func:`optimizer.solver.stop_token`).
- **processes**: a pool whose workers are forked from a fork server that imported the
  solver once, so each worker pays the start-up once, not once per call.
- **dask**: the calls run on a Dask distributed cluster (``scheduler`` is its address).
  ``distributed`` is imported only then (``pip install 'programme-optimiser[cluster]'``);
  Dask re-runs the tasks of a worker that dies.

Nothing here imports ortools: the called functions import the solver where they run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Literal

from .errors import InputError

Executor = Literal["threads", "processes", "dask"]
POLL_S = 0.1  # how often a waiting main thread looks for Ctrl-C
PRELOAD = ["__main__", "optimizer.solver", "optimizer.encoding.solve"]


def process_pool(processes: int, preload: list[str] | None = None):
    """A process pool whose workers start clean: forked from a fork server where there is one.

    fork would copy a parent that may hold solver threads (a test run, a notebook) and
    spawn re-imports everything in every worker. The fork server is one fresh process
    that never solves: it imports the solver (ortools) once, and each worker forked from
    it has its own copy, ready, with no threads. (Scripts using processes need the usual
    ``if __name__ == "__main__":`` guard.)
    """
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(preload or PRELOAD)
    else:
        ctx = mp.get_context("spawn")
    return ProcessPoolExecutor(max_workers=processes, mp_context=ctx)


def result(f: Future) -> Any:
    """``f.result()``, waking every :data:`POLL_S` so that Ctrl-C is seen.

    The signal may land on a solver thread; a main thread blocked without a timeout
    would never wake to raise KeyboardInterrupt.
    """
    while True:
        try:
            return f.result(timeout=POLL_S)
        except TimeoutError:
            continue


def completed(fn: Callable, *args) -> Future:
    """``fn(*args)`` run now, as a finished future (in-process runs and test runners)."""
    f: Future = Future()
    try:
        f.set_result(fn(*args))
    except Exception as exc:  # noqa: BLE001 - handed on through the future, as a pool does
        f.set_exception(exc)
    return f


def dask_client(address: str):
    """A Dask client connected to the scheduler at ``address`` (bad address: one line, exit 1)."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "needs Dask distributed: pip install 'programme-optimiser[cluster]'", field="--scheduler"
        ) from None
    try:
        return Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address!r}: {exc}", field="--scheduler") from None


def _bridge(task) -> Future:
    """A Dask future as a concurrent one (its result or error copied when it finishes)."""
    f: Future = Future()
    f.set_running_or_notify_cancel()

    def done(t) -> None:
        try:
            f.set_result(t.result())
        except BaseException as exc:  # noqa: BLE001 - handed on through the future
            if not f.done():
                f.set_exception(exc)

    f.task = task  # a released Dask future cancels its task: keep it while this one lives
    task.add_done_callback(done)
    return f


class Runner:
    """Runs calls ``processes`` at a time, in threads or processes, or on a Dask cluster.

    ``submit(fn, arg)`` returns a Future. In threads, ``fn`` is called with the runner's
    stop token as ``stop=`` (it should search under ``stop.governing()``), so that
    :meth:`close` after Ctrl-C ends every running search at once. With one process and
    no cluster, calls run in this thread, one after another.
    """

    def __init__(self, processes: int, executor: Executor = "threads", scheduler: str | None = None):
        from concurrent.futures import ThreadPoolExecutor

        self.stop = None
        self.pool = None
        self.client = None
        self.processes = processes
        self.executor = "dask" if scheduler is not None else executor
        if self.executor == "dask":
            if scheduler is None:
                raise InputError("the dask executor needs a scheduler address", field="--scheduler")
            self.client = dask_client(scheduler)
        elif executor not in ("threads", "processes"):
            raise InputError(f"unknown executor {executor!r}, expected threads or processes", field="--executor")
        elif processes <= 1:
            pass
        elif executor == "threads":
            from .solver import stop_token

            self.stop = stop_token()
            self.pool = ThreadPoolExecutor(max_workers=processes, thread_name_prefix="runner")
        else:
            self.pool = process_pool(processes)

    @property
    def slots(self) -> int:
        """How many calls can run at once (a cluster: its worker threads now)."""
        if self.client is not None:
            return max(1, sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()))
        return max(1, self.processes)

    def submit(self, fn: Callable, arg) -> Future:
        if self.client is not None:
            return _bridge(self.client.submit(fn, arg, pure=False))
        if self.pool is None:
            return completed(fn, arg)
        if self.stop is not None:
            return self.pool.submit(fn, arg, stop=self.stop)
        return self.pool.submit(fn, arg)

    def restart(self) -> None:
        """A fresh process pool after a worker died (the old one is broken for good)."""
        if self.pool is not None and self.stop is None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = process_pool(self.processes)

    def close(self, interrupted: bool = False) -> None:
        if self.stop is not None and interrupted:
            self.stop.stop()  # running searches end now; their threads finish at once
        if self.pool is not None:
            if interrupted and self.stop is None:
                # Interrupted: the running solves are not waited for (their results would
                # be dropped anyway; a rerun does them). Python 3.14 names this terminate_workers().
                procs = getattr(self.pool, "_processes", None) or {}
                for proc in list(procs.values()):
                    proc.terminate()
                # Tasks still queued for the ended workers: on Python before 3.11.5 (Debian's
                # 3.11.2) the queue's feeder thread stays blocked writing them and the pool's
                # shutdown at exit waits for it forever (the batch hung after Ctrl-C, its
                # summary written). The queue is dropped, not drained.
                queue = getattr(self.pool, "_call_queue", None)
                if queue is not None:
                    queue.cancel_join_thread()
            self.pool.shutdown(wait=not interrupted, cancel_futures=True)
        if self.client is not None:
            self.client.close()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        self.close(interrupted=kind is not None)


def run_many(
    runner: Runner, fn: Callable, calls: Iterable[tuple[Any, Any]], *, window: int, retries: int = 2
) -> Iterator[tuple[Any, Any, BaseException | None]]:
    """``fn(arg)`` for every ``(key, arg)``, yielding ``(key, result, error)`` as each finishes.

    At most ``window`` calls are submitted at once, so a long stream holds only that many
    in memory. When a worker process dies (killed, out of memory), the pool is broken and
    every call running in it fails: they are all run again on a fresh pool, up to
    ``retries`` times each; past that the error is yielded. (Dask re-runs a dead worker's
    tasks itself.) Any other error is the call's own, yielded at once.
    """
    calls = iter(calls)
    running: dict[Future, tuple[Any, Any]] = {}
    tries: dict[Any, int] = {}
    again: list[tuple[Any, Any]] = []

    def top_up() -> None:
        while again and len(running) < window:
            key, arg = again.pop(0)
            running[runner.submit(fn, arg)] = (key, arg)
        while len(running) < window:
            nxt = next(calls, None)
            if nxt is None:
                return
            running[runner.submit(fn, nxt[1])] = nxt

    top_up()
    while running:
        done, _ = wait(running, timeout=POLL_S, return_when=FIRST_COMPLETED)
        broken = False
        for f in done:
            key, arg = running.pop(f)
            exc = f.exception()
            if isinstance(exc, BrokenProcessPool):
                broken = True
                if tries.get(key, 0) < retries:
                    tries[key] = tries.get(key, 0) + 1
                    again.append((key, arg))
                    continue
            yield key, None if exc is not None else f.result(), exc
        if broken:
            # Every call still in the broken pool fails too: collect them, then start afresh.
            while running:
                for f in wait(running, timeout=POLL_S)[0]:
                    key, arg = running.pop(f)
                    exc = f.exception()
                    if isinstance(exc, BrokenProcessPool) and tries.get(key, 0) < retries:
                        tries[key] = tries.get(key, 0) + 1
                        again.append((key, arg))
                    else:
                        yield key, None if exc is not None else f.result(), exc
            runner.restart()
        top_up()
