# SPDX-License-Identifier: LGPL-2.1-or-later
"""The real-stack figures: a private pcscd with two vpcd readers and an
emulated card in each, held up by workers/stack.py for the whole run,
while the C floor program and both implementations transmit through it."""

from __future__ import annotations

import json
import select
import subprocess
from pathlib import Path
from typing import Dict, List

from harness.envs import LOGS, WORK, clean_env, log
from harness.figures import IMPLS, merge
from harness.workers import WORKERS, Impl, rotation

_STACK_START_TIMEOUT = 60.0


class Stack:
    """The stack process; ``info`` is its announcement (env, readers) or why not."""

    def __init__(self, python: Path) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log_path = LOGS / "stack.log"
        with open(self.log_path, "w") as err:
            self.proc = subprocess.Popen(
                [str(python), str(WORKERS / "stack.py")],
                cwd=WORK,
                env=clean_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], _STACK_START_TIMEOUT)
        line = self.proc.stdout.readline() if ready else ""
        try:
            self.info: Dict = json.loads(line)
        except ValueError:
            self.close()
            tail = " / ".join(self.log_path.read_text(errors="replace").splitlines()[-3:])
            self.info = {"error": f"stack did not start: {line.strip() or tail or 'no answer'}"}

    @property
    def up(self) -> bool:
        return "env" in self.info

    def close(self) -> None:
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()  # the stack stops pcscd and the cards
        try:
            self.proc.wait(15.0)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Server:
    """A long-lived worker answering one JSON line per command line.

    Keeping the C floor and both implementations connected for the whole
    plan lets it interleave short runs of each, so that all three see the
    same load on a shared machine, which separate processes run one after
    the other would not."""

    def __init__(self, cmd: List[str], env: Dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            cmd,
            cwd=WORK,
            env=clean_env(env),
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.status: Dict = {}
        hello = self._answer(_STACK_START_TIMEOUT)
        if not hello.get("ready"):
            self.status = hello
            self.close()

    def _answer(self, timeout: float) -> Dict:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if line.startswith("{"):
            return json.loads(line)
        self.close()
        err = self.proc.stderr.read() if self.proc.stderr else ""
        tail = " / ".join(err.strip().splitlines()[-3:])
        return {"error": f"worker gave no answer: {tail or 'timed out'}"}

    def ask(self, command: str, timeout: float = 120.0) -> Dict:
        if self.status:
            return self.status
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        answer = self._answer(timeout)
        if "error" in answer or "na" in answer:
            self.status = answer
        return answer

    def close(self) -> None:
        if self.proc.stdin and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
        try:
            self.proc.wait(10.0)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run_real(
    impls: Dict[str, Impl], floor: Path | None, plan: Dict[str, float], keys: List[str]
) -> Dict[str, Dict[str, Dict]]:
    """Samples of the real-stack figures: {figure: {"ref"/"ours"/"floor": samples}}."""
    samples: Dict[str, Dict[str, Dict]] = {k: {} for k in keys}
    if not keys:
        return samples
    log("starting a private pcscd with two emulated cards")
    stack = Stack(impls["ours"].python)
    servers: Dict[str, Server] = {}
    try:
        if not stack.up:
            failed = stack.info if "na" in stack.info else {"error": stack.info.get("error")}
            for key in keys:
                for side in (*IMPLS, "floor"):
                    merge(samples[key].setdefault(side, {}), failed)
            return samples
        env, readers = stack.info["env"], stack.info["readers"]
        for side in IMPLS:
            servers[side] = Server(
                [str(impls[side].python), str(WORKERS / "real.py"), *readers], env
            )
        if "real_transmit" in keys:
            if floor is not None:
                servers["floor"] = Server([str(floor), readers[0]], env)
            else:
                samples["real_transmit"]["floor"] = {
                    "status": {"error": "the C floor program could not be built"}
                }
            _transmit_rounds(servers, plan, samples["real_transmit"])
        if "real_threads" in keys:
            _thread_rounds(servers, plan, samples["real_threads"])
    finally:
        for server in servers.values():
            server.close()
        stack.close()
    return samples


def _transmit_rounds(
    servers: Dict[str, Server], plan: Dict[str, float], out: Dict[str, Dict]
) -> None:
    rounds, number = int(plan["rounds"]), int(plan["number"])
    log(f"real-stack transmit: {rounds} rounds of {number} transmits, C floor, pyscard, ours")
    sides = list(servers)
    for round_index in range(rounds):
        for side in rotation(round_index, sides):
            merge(out.setdefault(side, {}), servers[side].ask(str(number)))


def _thread_rounds(
    servers: Dict[str, Server], plan: Dict[str, float], out: Dict[str, Dict]
) -> None:
    rounds, seconds = int(plan["thread_rounds"]), plan["seconds"]
    log(f"real-stack threads: {rounds} rounds of 1 then 2 threads, {seconds} s each")
    for round_index in range(rounds):
        for threads, key in ((1, "one"), (2, "two")):
            for side in rotation(round_index, list(IMPLS)):
                answer = servers[side].ask(f"threads {threads} {seconds}")
                if "tput" in answer:
                    out.setdefault(side, {}).setdefault(key, []).append(answer["tput"])
                else:
                    merge(out.setdefault(side, {}), answer)
