"""Speed benchmark of the EST emulator (figures go into docs/docsite/rst/emulator.rst).

Usage: python tests/emulator/bench.py [--trunks 10000] [--calls 50000] [--reads 2000]
Starts a real emulator process on a free port, then measures:
  1. seeding N calls through POST /_emulator/seed (wall time),
  2. with T trunks stored, GET /trunks?size=500 (median and p95 over 50 pages),
  3. simple reads per second (GET /trunks/{id}, one keep-alive client),
  4. a filtered /calls page (median).
"""

import argparse
import statistics
import subprocess
import sys
import time

import requests


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--trunks", type=int, default=10000)
    p.add_argument("--calls", type=int, default=50000)
    p.add_argument("--reads", type=int, default=2000)
    args = p.parse_args()
    proc = subprocess.Popen([sys.executable, "-m", "est_emulator", "--port", "0"], stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().split()[-1]
    s = requests.Session()
    s.auth = ("demo-key", "demo-secret")
    base = url + "/v1/projects/demo-project"
    try:
        t0 = time.perf_counter()
        s.post(url + "/_emulator/seed", json={"project": "demo-project", "calls": args.calls, "seed": 1}).raise_for_status()
        seed_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        ids = []
        for i in range(args.trunks):
            r = s.post(base + "/trunks", json={"name": f"t{i}", "hostName": f"bench-{i}"})
            ids.append(r.json()["id"])
        create_rate = args.trunks / (time.perf_counter() - t0)
        pages = args.trunks // 500
        samples = []
        for i in range(50):
            t0 = time.perf_counter()
            r = s.get(base + "/trunks", params={"size": 500, "page": i % pages + 1})
            samples.append((time.perf_counter() - t0) * 1000)
            assert len(r.json()["trunks"]) == 500
        samples.sort()
        requests.delete(url + "/_emulator/requests")
        t0 = time.perf_counter()
        for i in range(args.reads):
            s.get(base + f"/trunks/{ids[i % len(ids)]}").raise_for_status()
        reads = args.reads / (time.perf_counter() - t0)
        log = requests.get(url + "/_emulator/requests").json()["requests"]
        server_ms = statistics.median(e["duration_ms"] for e in log)
        calls = []
        for _ in range(20):
            t0 = time.perf_counter()
            s.get(base + "/calls", params={"createTime>": "=2000-01-01", "callResult": "COMPLETED,BUSY",
                                           "direction": "INBOUND", "size": 1000}).raise_for_status()
            calls.append((time.perf_counter() - t0) * 1000)
        print(f"seed {args.calls} calls: {seed_s:.2f} s")
        print(f"create trunks: {create_rate:.0f} /s")
        print(f"GET /trunks?size=500 with {args.trunks} trunks: median {statistics.median(samples):.1f} ms, "
              f"p95 {samples[int(len(samples) * 0.95) - 1]:.1f} ms")
        print(f"simple reads (GET /trunks/{{id}}), one keep-alive client: {reads:.0f} /s "
              f"(server-side median {server_ms:.2f} ms per request)")
        print(f"filtered GET /calls size=1000 over {args.calls} calls: median {statistics.median(calls):.1f} ms")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
