"""bench-api: requests/s and p99 latency of the REST API under `wrk`, each endpoint next to the trivial
endpoint (/api/v1/ping) of the same server in the same run, for 1 and 2 uvicorn workers.

Copies the register of the environment (--var, default IPOFFICE_VAR or ./var, as `make run` builds it) to a
temporary folder, starts ``ipoffice serve --workers N --no-demo`` on a free loopback port over the copy and
drives each endpoint with Debian's `wrk` (2 threads, 16 connections, 5 s; a Lua script reports the counts
and the p99 as JSON). The load generator shares the 2 cores with the server, so the figures compare with
each other, not with another machine; the ratio to the trivial endpoint is the figure that travels.

Endpoints: a search, the register lookup in its default (lean) representation, the same with the long
texts (``?full=true``), and lookups of twice as many different documents in turn as the server caches (a
least-recently-used cache read in a cycle longer than itself never hits: every answer is built from the
register). Goals: lookup and search >= 0.5x.

Without `wrk` (``apt-get install wrk``) it says so and falls back to an asyncio httpx client, which
saturates before the server does (the figures are then the client's limit, labelled as such).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from _report import table, write_result, write_section  # noqa: E402

from ipoffice.services.document_views import CACHED_DOCUMENTS  # noqa: E402

THREADS, CONNECTIONS = 2, 16

GOAL = 0.5
# wrk calls request() for each request (the paths of WRK_PATHS in turn) and done() once: JSON on stdout.
WRK_SCRIPT = """
local paths, i = {}, 0
for p in string.gmatch(os.getenv("WRK_PATHS") or "", "[^ ]+") do paths[#paths + 1] = p end
request = function()
  if #paths == 0 then return wrk.format(nil) end
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, '
    .. '"p99_us": %d, "non_2xx": %d, "socket_errors": %d}\\n', summary.requests, summary.duration,
    summary.bytes, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the server process and its worker processes so far (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    with contextlib.suppress(OSError):  # the workers of ``--workers N``
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_wrk(wrk: str, script: Path, url: str, seconds: float, paths: list[str] | None = None) -> dict[str, Any]:
    env = {**os.environ, "WRK_PATHS": " ".join(paths or [])}
    out = subprocess.run([wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "-s", str(script), url],
                         capture_output=True, text=True, env=env, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK-JSON "))
    raw = json.loads(line.removeprefix("WRK-JSON "))
    return {"requests": raw["requests"], "errors": raw["non_2xx"] + raw["socket_errors"],
            "rps": raw["requests"] / (raw["duration_us"] / 1e6), "p99_ms": raw["p99_us"] / 1000,
            "p50_ms": raw["p50_us"] / 1000, "bytes_per_response": raw["bytes"] / max(1, raw["requests"])}


async def _drive_httpx(urls: list[str], seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        async def worker(k: int) -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await client.get(urls[(k + len(latencies)) % len(urls)])
                latencies.append(time.perf_counter() - start)
                errors += response.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(CONNECTIONS)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pick(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed, "p99_ms": pick(0.99),
            "p50_ms": pick(0.5), "bytes_per_response": None}


def run_httpx(url: str, seconds: float, paths: list[str] | None = None) -> dict[str, Any]:
    base = url.split("/api/", 1)[0]
    return asyncio.run(_drive_httpx([base + p for p in paths] if paths else [url], seconds))


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/api/v1/ping", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not start within 60 s")


def sample_numbers(base: str, count: int) -> list[str]:
    """``count`` different document numbers of the register (from searches for common words)."""
    numbers: dict[str, None] = {}
    for q in ("method", "system", "device", "apparatus", "composition", "process"):
        for offset in range(0, 2000, 100):
            hits = httpx.get(f"{base}/api/v1/search", params={"q": q, "limit": 100, "offset": offset},
                             timeout=30).json()["hits"]
            numbers.update((h["number"], None) for h in hits)
            if len(numbers) >= count or not hits:
                break
        if len(numbers) >= count:
            break
    return list(numbers)[:count]


def measure(workers: int, env: dict[str, str], args: argparse.Namespace, drive: Any) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "ipoffice", "serve", "--port", str(port), "--no-demo",
                               "--workers", str(workers)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_until_up(base, server)
        if httpx.get(f"{base}/api/v1/documents/{args.number}", timeout=30).status_code != 200:
            raise SystemExit(f"{args.number} is not in the register: import the shared data (make run)")
        numbers = sample_numbers(base, 2 * CACHED_DOCUMENTS)
        query = args.query.replace(" ", "%20")
        endpoints: list[tuple[str, str, list[str] | None]] = [
            ("trivial /api/v1/ping", "/api/v1/ping", None),
            (f"search /api/v1/search?q={args.query}", f"/api/v1/search?q={query}", None),
            (f"lookup /api/v1/documents/{args.number}", f"/api/v1/documents/{args.number}", None),
            (f"lookup, full texts: …/{args.number}?full=true", f"/api/v1/documents/{args.number}?full=true", None),
            (f"lookup of {len(numbers):,} documents in turn (uncached: the cache keeps {CACHED_DOCUMENTS})",
             "/api/v1/documents/" + numbers[0], [f"/api/v1/documents/{n}" for n in numbers]),
        ]
        for _, path, paths in endpoints:
            drive(base + path, 2.0, paths)  # warm-up: connections, caches, every worker's first requests
        rounds: list[dict[str, Any]] = []
        for _ in range(args.rounds):  # every endpoint in turn, then again: the same spell of load for all
            results: dict[str, Any] = {}
            for name, path, paths in endpoints:
                cpu = server_cpu_seconds(server.pid)
                r = results[name] = drive(base + path, args.seconds, paths)
                r["server_cpu_ms_per_request"] = (server_cpu_seconds(server.pid) - cpu) * 1000 / max(1, r["requests"])
            trivial = results[endpoints[0][0]]
            for r in results.values():
                r["ratio"] = r["rps"] / trivial["rps"]
                r["cpu_ratio"] = trivial["server_cpu_ms_per_request"] / r["server_cpu_ms_per_request"]
            rounds.append(results)
        median: dict[str, Any] = {}  # per endpoint, each figure's median over the rounds
        for name, *_ in endpoints:
            of_rounds = [rnd[name] for rnd in rounds]
            r = median[name] = {key: statistics.median(x[key] for x in of_rounds)
                                for key in of_rounds[0] if of_rounds[0][key] is not None}
            r["ratios_of_rounds"] = sorted(round(x["ratio"], 3) for x in of_rounds)
            print(f"workers={workers} {name:55s} {r['rps']:8.0f} req/s  p99 {r['p99_ms']:7.1f} ms  "
                  f"{r['ratio']:.2f}x  server CPU {r['server_cpu_ms_per_request']:.2f} ms/request "
                  f"({r['cpu_ratio']:.2f}x)  (median of {len(of_rounds)} rounds; {r['errors']:.0f} errors; "
                  f"ratios of the rounds {r['ratios_of_rounds']})", flush=True)
        return median
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path, default=Path(os.environ.get("IPOFFICE_VAR") or ROOT / "var"),
                        help="register to copy and serve (default: IPOFFICE_VAR or ./var, as `make run` builds it)")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration per endpoint")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=5,
                        help="every endpoint in turn this many times; each figure's median over them is reported")
    parser.add_argument("--query", default="wireless communication")
    parser.add_argument("--number", default="US7521045B2", help="document of the register lookup")
    args = parser.parse_args()
    if not (args.var / "ipoffice.db").is_file():
        raise SystemExit(f"no register at {args.var}: run `make run` (or give --var)")

    wrk = shutil.which("wrk")
    if wrk:
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        script.write_text(WRK_SCRIPT)
        generator = f"wrk ({THREADS} threads, {CONNECTIONS} connections)"
        drive: Any = lambda url, seconds, paths: run_wrk(wrk, script, url, seconds, paths)  # noqa: E731
    else:
        print("wrk not found (apt-get install wrk): falling back to an asyncio httpx client, which saturates "
              "before the server — its figures are the client's limit", file=sys.stderr)
        generator = f"FALLBACK asyncio httpx client ({CONNECTIONS} connections; wrk missing; saturates first)"
        drive = run_httpx

    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        var = Path(tmp) / "var"
        shutil.copytree(args.var, var, ignore=shutil.ignore_patterns("*.lock", "backups"))
        env = {**os.environ, "IPOFFICE_VAR": str(var), "PYTHONPATH": str(ROOT / "src")}
        env.pop("IPOFFICE_DATABASE_URL", None)
        for workers in args.workers:
            runs[str(workers)] = measure(workers, env, args, drive)

    load = os.getloadavg()
    summary = {"generator": generator, "seconds": args.seconds, "rounds": args.rounds, "goal_ratio": GOAL,
               "register": str(args.var), "load_average_after": [round(x, 2) for x in load], "workers": runs}
    write_result("bench_api", summary)
    rows = [[workers, name, f"{r['rps']:,.0f}", f"{r['p99_ms']:.0f}", f"{r['requests']:,.0f}", f"{r['errors']:.0f}",
             f"{r['bytes_per_response']:,.0f}" if r.get("bytes_per_response") else "", f"**{r['ratio']:.2f}×**",
             f"{r['server_cpu_ms_per_request']:.2f}", f"{r['cpu_ratio']:.2f}×",
             " ".join(f"{x:.2f}" for x in r["ratios_of_rounds"])]
            for workers, results in runs.items() for name, r in results.items()]
    write_section("bench-api", (
        "## Web API throughput (`make bench-api`)\n\n"
        f"`ipoffice serve --workers N` on a copy of the `make run` register; load generator: {generator}, "
        f"{args.seconds:g} s per endpoint after 2 s of warm-up, every endpoint in turn {args.rounds} times: each "
        "figure is the median over the rounds, the ratio the median of the rounds' ratios (each round's own "
        "trivial endpoint), on the same 2 cores (loopback; load average "
        f"after the run {load[0]:.1f}). Ratio = throughput / the trivial endpoint's (`/api/v1/ping`) on the same "
        f"server in the same round; goal for the register lookup and the search ≥ {GOAL}×. Server CPU per request (the "
        "server's processes, from /proc) is less sensitive than req/s to other jobs on the machine; its ratio "
        "is the trivial endpoint's CPU per request over this one's.\n\n"
        + table(["workers", "endpoint", "req/s", "p99 ms", "requests", "errors", "bytes/answer",
                 "ratio to trivial", "server CPU ms/request", "CPU ratio (trivial / this)",
                 "ratios of the rounds"], rows)
        + "\n\nReproduce: `make run` (once, to build the register), then `make bench-api` "
        "(`.venv/bin/python bench/bench_api.py --var var`; results: `bench/results/bench_api.json`)."
    ))


if __name__ == "__main__":
    main()
