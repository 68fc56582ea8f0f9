"""bench-api: requests/s and p99 latency of a register lookup and a search request against the running
portal, next to a trivial FastAPI endpoint (/api/v1/ping) on the same server in the same run.

Starts ``ipoffice serve`` on a free loopback port over the register of the environment (IPOFFICE_VAR /
IPOFFICE_DATABASE_URL, default ./var), then drives each endpoint for --seconds with --concurrency
connections from an asyncio httpx client (the load generator shares the machine: the figures are
comparable with each other, not absolute). Goal: lookups at >= 0.3x the trivial endpoint's throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from _report import table, write_result, write_section  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def drive(url: str, seconds: float, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan")
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed, "p99_ms": p99 * 1000}


def pick_number(base: str) -> str:
    hits = httpx.get(f"{base}/api/v1/search", params={"q": "method", "limit": 1}, timeout=30).json()["hits"]
    if not hits:
        raise SystemExit("the register is empty: run `make demo` (import) and `ipoffice index rebuild` first")
    return str(hits[0]["number"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration per endpoint")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--query", default="wireless communication")
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(Path(sys.executable).parent / "ipoffice"), "serve", "--port", str(port),
                               "--no-demo"], cwd=ROOT, env=os.environ.copy())
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/v1/ping", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        number = pick_number(base)
        endpoints = {
            "trivial /api/v1/ping": f"{base}/api/v1/ping",
            f"lookup /api/v1/documents/{number}": f"{base}/api/v1/documents/{number}",
            f"search /api/v1/search?q={args.query}": f"{base}/api/v1/search?q={args.query}&limit=10",
        }
        results = {}
        for name, url in endpoints.items():
            asyncio.run(drive(url, 0.5, args.concurrency))  # warm-up: caches, connections
            results[name] = asyncio.run(drive(url, args.seconds, args.concurrency))
            r = results[name]
            print(f"{name:60s} {r['rps']:8.1f} req/s   p99 {r['p99_ms']:7.1f} ms   "
                  f"({r['requests']} requests, {r['errors']} errors)")
        trivial = next(iter(results.values()))["rps"]
        lookup = list(results.values())[1]["rps"]
        print(f"lookup / trivial throughput: {lookup / trivial:.2f}x (goal >= 0.3x)")
        summary = {"concurrency": args.concurrency, "seconds": args.seconds, "results": results,
                   "lookup_to_trivial": lookup / trivial}
        print(json.dumps(summary))
        write_result("api", summary)
        rows = [[name, f"{r['rps']:,.0f}", f"{r['p99_ms']:.0f}", r["requests"], r["errors"],
                 f"{r['rps'] / trivial:.2f}×"] for name, r in results.items()]
        write_section("bench-api", (
            "## Web API throughput (`make bench-api`)\n\n"
            f"`ipoffice serve` (one worker) on the register of the environment; {args.concurrency} connections, "
            f"{args.seconds:g} s per endpoint, asyncio httpx load generator on the same 2 cores (loopback). "
            "Ratio = throughput / the trivial endpoint's on the same server in the same run; goal for lookups "
            "≥ 0.3×.\n\n"
            + table(["endpoint", "req/s", "p99 ms", "requests", "errors", "ratio to trivial"], rows)
            + "\n\nReproduce: `make demo && .venv/bin/ipoffice index rebuild && make bench-api` "
            "(results: `bench/results/api.json`)."
        ))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
