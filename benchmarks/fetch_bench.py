"""Fetching 400 messages (200 B to 60 KB) from a local Dovecot over TLS into
two operators' and a workgroup's Maildir inboxes, as whole processes, in the
same run (medians):

- ours: ``mailaccounts fetch`` (staged file synced, a hard link per inbox,
  each inbox folder synced, the message recorded in the store, DELE);
- getmail6 with a MultiDestination of three Maildirs (as root it delivers
  as ``nobody``, so the Maildirs belong to nobody below a 0755 folder);
- a bare poplib loop: RETR, each copy written and synced (tmp, then new),
  DELE; and variants of it: with each folder synced too (what surviving a
  power cut needs, as ours does), with those folder syncs and the DELEs once
  per batch of 50 messages, with the RETRs and DELEs of 50 messages
  pipelined (RFC 2449 PIPELINING, which Dovecot offers), and both;
- ours, getmail6, the bare loop and the pipelined one again, with 200
  messages, through a proxy that makes every round trip take 20 ms (a
  server across the internet, not on this host): there fetching is round
  trips, and ours pipelines RETR and DELE (the server offers PIPELINING);
- peak memory of ours for one 50 MB message against 400 small ones.

Prints one JSON object (its last line); benchmarks/run.py shows it.

    .venv/bin/python benchmarks/fetch_bench.py [--runs N] [--far-only]
"""

from __future__ import annotations

import argparse
import json
import os
import poplib
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

MESSAGES = 400
FAR_MESSAGES = 200
BATCH = 50
ROUND_TRIP = 0.020
INBOXES = ("operators/ADM", "operators/MUE", "workgroups/VERTRIEB")
VARIANTS = {
    # name: (pipelined, batch, folder syncs)
    "bare": (False, 1, False),
    "bare_folder_syncs": (False, 1, True),
    "bare_batched_folder_syncs": (False, BATCH, True),
    "bare_pipelined": (True, BATCH, False),
    "bare_pipelined_batched_folder_syncs": (True, BATCH, True),
}


# -- the bare loop (run as a process of its own) -----------------------------------


def sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def bare(port: int, root: Path, pipelined: bool, batch: int, folder_syncs: bool) -> None:
    pop = poplib.POP3_SSL("localhost", port, context=ssl.create_default_context(), timeout=30)
    pop.user("info")
    pop.pass_("pop3-geheim")
    count = int(pop.stat()[0])
    folders = [root / inbox for inbox in INBOXES]
    for folder in folders:
        for sub in ("tmp", "new", "cur"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    stamp = f"{time.time():.0f}.{os.getpid()}"
    for first in range(1, count + 1, batch):
        numbers = range(first, min(first + batch, count + 1))
        if pipelined:
            for number in numbers:
                pop._putcmd(f"RETR {number}")  # type: ignore[attr-defined]
            bodies = [pop._getlongresp()[1] for _ in numbers]  # type: ignore[attr-defined]
        else:
            bodies = []
        for index, number in enumerate(numbers):
            lines = bodies[index] if pipelined else pop.retr(number)[1]
            data = b"\n".join(lines) + b"\n"
            name = f"{stamp}.{number}.bare"
            for folder in folders:
                with open(folder / "tmp" / name, "xb") as file:
                    file.write(data)
                    file.flush()
                    os.fsync(file.fileno())
                os.rename(folder / "tmp" / name, folder / "new" / name)
                if folder_syncs and batch == 1:
                    sync_folder(folder / "new")
            if batch == 1:
                pop.dele(number)
        if batch > 1:
            if folder_syncs:
                for folder in folders:
                    sync_folder(folder / "new")
            if pipelined:
                for number in numbers:
                    pop._putcmd(f"DELE {number}")  # type: ignore[attr-defined]
                for _ in numbers:
                    pop._getresp()  # type: ignore[attr-defined]
            else:
                for number in numbers:
                    pop.dele(number)
    pop.quit()


# -- the harness -------------------------------------------------------------------

GETMAILRC = """\
[retriever]
type = SimplePOP3SSLRetriever
server = localhost
port = {port}
username = info
password = pop3-geheim
ca_certs = {ca}

[destination]
type = MultiDestination
destinations = ('[adm]', '[mue]', '[vertrieb]')

{maildirs}
[options]
verbose = 0
read_all = true
delete = true
delivered_to = false
received = false
message_log_syslog = false
"""


class Bench:
    def __init__(self, folder: Path, runs: int) -> None:
        from tests.support.certs import Authority
        from tests.support.fetching import FetchWorld, mixed
        from tests.support.servers import Dovecot

        self.folder = folder
        self.runs = runs
        authority = Authority()
        self.ca = folder / "ca.pem"
        self.ca.write_bytes(authority.pem)
        os.environ["SSL_CERT_FILE"] = str(self.ca)
        os.environ.pop("SSL_CERT_DIR", None)
        self.dovecot = Dovecot({"info": "pop3-geheim"}, authority.issue(["localhost"])).start()
        self.messages = mixed(MESSAGES, seed=400)
        self.far_messages = self.messages[:FAR_MESSAGES]
        self.world = FetchWorld(folder / "ours")
        self.world.add_account(self.dovecot.tls_port)
        from tests.support.faults import Proxy

        self.proxy = Proxy(self.dovecot.tls_port, delay=ROUND_TRIP / 2).start()
        self.far = FetchWorld(folder / "far")
        self.far.add_account(self.proxy.port)
        self.getmail = Path(sys.executable).with_name("getmail")
        if not self.getmail.exists():
            raise SystemExit("getmail6 is missing: scripts/setup --test installs it")
        # getmail delivers as nobody, who must reach the Maildirs
        self.public = Path(tempfile.mkdtemp(prefix="fetch-bench-", dir="/tmp"))
        self.public.chmod(0o755)

    def close(self) -> None:
        self.proxy.stop()
        self.dovecot.stop()
        shutil.rmtree(self.public, ignore_errors=True)

    def fill(self, far: bool = False) -> None:
        """The 400 messages (200 for the far runs) into the mailbox; then
        everything written so far to disk, so that no run pays for the
        writes of the one before."""
        self.dovecot.deliver("info", *(self.far_messages if far else self.messages))
        os.sync()

    def server_empty(self) -> bool:
        box = self.dovecot.base / "mail" / "info"
        return not any(any((box / sub).iterdir()) for sub in ("new", "cur"))

    def check(self, root: Path, by_content: bool, far: bool = False) -> None:
        from tests.support.fetching import Inboxes, digest

        messages = self.far_messages if far else self.messages
        expected = {digest(m) for m in messages}
        inboxes = Inboxes(root)
        for inbox in INBOXES:
            found = inboxes.contents(inbox)
            assert sum(found.values()) == len(messages), (root, inbox, sum(found.values()))
            assert not by_content or set(found) == expected, (root, inbox)
        assert self.server_empty(), root
        shutil.rmtree(root)

    def timed(self, command: list[str], env: dict[str, str] | None = None) -> float:
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=env, cwd=REPO, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{command[:3]} failed: {done.stderr.decode()[-2000:]}")
        self.last_out = done.stdout.decode()
        return seconds

    def ours(self, run: int, far: bool = False) -> tuple[float, float]:
        world = self.far if far else self.world
        world.mail_root = self.folder / f"ours-{run}"
        seconds = self.timed(world.command(), world.env())
        engine = json.loads(self.last_out)["accounts"][0]
        assert engine["ok"] and engine["fetched"] == (FAR_MESSAGES if far else MESSAGES), engine
        self.check(world.mail_root, by_content=True, far=far)
        return seconds, float(engine["seconds"])

    def getmail6(self, run: int, far: bool = False) -> float:
        root = self.public / f"getmail-{run}{'-far' if far else ''}"
        sections = []
        for section, inbox in zip(("adm", "mue", "vertrieb"), INBOXES, strict=True):
            for sub in ("tmp", "new", "cur"):
                (root / inbox / sub).mkdir(parents=True)
            sections.append(f"[{section}]\ntype = Maildir\npath = {root / inbox}/\nuser = nobody\n")
        subprocess.run(["chown", "-R", "nobody:nogroup", str(root)], check=True)
        for folder in (root, root / "operators", root / "workgroups"):
            folder.chmod(0o755)
        state = self.public / f"getmail-state-{run}{'-far' if far else ''}"
        state.mkdir()
        rc = state / "getmailrc"
        port = self.proxy.port if far else self.dovecot.tls_port
        rc.write_text(GETMAILRC.format(port=port, ca=self.ca, maildirs="\n".join(sections)))
        seconds = self.timed([str(self.getmail), "--getmaildir", str(state), "--rcfile", str(rc)])
        self.check(root, by_content=False, far=far)
        return seconds

    def bare(self, run: int, variant: str, far: bool = False) -> float:
        root = self.folder / f"{variant}-{run}{'-far' if far else ''}"
        pipelined, batch, syncs = VARIANTS[variant]
        command = [
            sys.executable,
            __file__,
            "bare",
            str(self.proxy.port if far else self.dovecot.tls_port),
            str(root),
            str(int(pipelined)),
            str(batch),
            str(int(syncs)),
        ]
        seconds = self.timed(command)
        self.check(root, by_content=True, far=far)
        return seconds

    def speed(self) -> dict[str, Any]:
        samples: dict[str, list[float]] = {"ours": [], "ours_engine": [], "getmail6": []}
        samples.update({variant: [] for variant in VARIANTS})
        self.fill()
        self.ours(-1)  # warm up: file cache, Dovecot's processes
        for run in range(self.runs):  # interleaved, so drift hits all alike
            order = ["ours", "getmail6", *VARIANTS]
            for name in order[run % len(order) :] + order[: run % len(order)]:
                self.fill()
                if name == "ours":
                    whole, engine = self.ours(run)
                    samples["ours"].append(whole)
                    samples["ours_engine"].append(engine)
                elif name == "getmail6":
                    samples["getmail6"].append(self.getmail6(run))
                else:
                    samples[name].append(self.bare(run, name))
        result: dict[str, Any] = {"messages": MESSAGES, "runs": self.runs, "batch": BATCH}
        result.update({f"{k}_s": statistics.median(v) for k, v in samples.items()})
        result["ratio_getmail6"] = result["ours_s"] / result["getmail6_s"]
        result["ratio_bare"] = result["ours_s"] / result["bare_s"]
        result["target_ratio_getmail6"] = 0.5
        result["target_ratio_bare"] = 2.0
        return result

    def round_trips(self) -> dict[str, Any]:
        """200 messages through the proxy (interleaved, as above): what
        round trips cost. The bare loop is the sequential one that writes
        each copy durably."""
        samples: dict[str, list[float]] = {
            "ours": [],
            "getmail6": [],
            "bare": [],
            "bare_pipelined": [],
        }
        self.fill(far=True)
        self.ours(-1, far=True)  # warm up
        for run in range(self.runs):
            order = list(samples)
            for name in order[run % len(order) :] + order[: run % len(order)]:
                self.fill(far=True)
                if name == "ours":
                    samples[name].append(self.ours(run, far=True)[0])
                elif name == "getmail6":
                    samples[name].append(self.getmail6(run, far=True))
                else:
                    samples[name].append(self.bare(run, name, far=True))
        result: dict[str, Any] = {"round_trip_ms": ROUND_TRIP * 1000, "far_messages": FAR_MESSAGES}
        result.update({f"far_{k}_s": statistics.median(v) for k, v in samples.items()})
        result["far_ratio_bare"] = result["far_ours_s"] / result["far_bare_s"]
        result["far_ratio_getmail6"] = result["far_ours_s"] / result["far_getmail6_s"]
        result["far_target_ratio_bare"] = 0.25
        result["far_target_ratio_getmail6"] = 0.5
        return result

    def memory(self) -> dict[str, Any]:
        from tests.support.faults import run_measured
        from tests.support.fetching import mail

        peaks = {}
        for name, messages in (("small", self.messages), ("large", [mail(50, 50_000_000)])):
            self.dovecot.deliver("info", *messages)
            self.world.mail_root = self.folder / f"memory-{name}"
            run = run_measured(self.world.command(), self.world.env(), REPO)
            assert run.code == 0, run.err
            peaks[name] = run.peak_kb / 1024
            del messages
        return {
            "peak_400_small_mb": peaks["small"],
            "peak_one_50mb_mb": peaks["large"],
            "memory_ratio": peaks["large"] / peaks["small"],
            "target_memory_ratio": 1.5,
        }


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "bare":
        port, root, pipelined, batch, syncs = sys.argv[2:7]
        bare(int(port), Path(root), pipelined == "1", int(batch), syncs == "1")
        return 0
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--far-only", action="store_true", help="only the runs through the proxy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp), args.runs)
        try:
            result = {} if args.far_only else bench.speed()
            result.update(bench.round_trips())
            if not args.far_only:
                result.update(bench.memory())
        finally:
            bench.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
