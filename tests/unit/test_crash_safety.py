"""Crash safety: SIGKILL a process at random points of a coding session and of an import,
then check the project opens, passes `PRAGMA integrity_check`, and holds every action the
killed process acknowledged. Also: a second writer gets a clear message; readers work while
a writer has the project open.

How the kill rounds stay fast: a "zygote" process imports the store once, then forks one
child per round. The child opens the project, runs a scripted session and prints an
acknowledgement line after each commit; the parent kills it (SIGKILL) after a random number
of acknowledgements plus a random few milliseconds, reads what it printed before dying (the
zygote prints `end` once the child is reaped), reopens the project and compares it with a
model of the session: the project must be exactly the state after the acknowledged actions,
or after one more (committed, killed before the acknowledgement reached the pipe). The
coding zygote stubs pandas/numpy, which writing codings never uses, so nothing heavy loads.

`benchmarks/bench_kill.py` runs the same harness with more kills and prints the figures.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from qualcode.store import SegmentSpan, Store, TurnSpan
from qualcode.store.backup import check_project

REPO = Path(__file__).resolve().parents[2]
CODING_KILLS = 200
IMPORT_KILLS = 40
SEED = int(os.environ.get("QUALCODE_KILL_SEED", "20260512"))

ZYGOTE = r'''
import json, os, sys, traceback, types
kind = sys.argv[1]
if kind == "coding":  # writing codings never touches pandas/numpy: stub them so a fork is cheap
    for name in ("pandas", "numpy"):
        stub = types.ModuleType(name)
        stub.__getattr__ = lambda attr: type(attr, (), {})
        sys.modules.setdefault(name, stub)
from qualcode.store import SegmentSpan, Store, TurnSpan
import_paths = None
if kind == "import":
    try:
        from qualcode.io.importer import import_paths
    except ImportError:
        import_paths = None
    if import_paths is not None:  # load the NLP pipelines once, before forking
        import tempfile
        from pathlib import Path
        with tempfile.TemporaryDirectory() as folder:
            warm = Path(folder) / "warm.txt"
            warm.write_text("H: Miten menee? Hyvin.\n\nV: Tilaan tuotteita. Toimitus kestää.\n", encoding="utf-8")
            with Store.memory() as scratch:
                import_paths(scratch, [warm])


def say(*words):
    sys.stdout.write(" ".join(str(w) for w in words) + "\n")
    sys.stdout.flush()


def spans(text):
    turns, segments, position = [], [], 0
    for paragraph in text.split("\n\n"):
        label, _, speech = paragraph.partition(": ")
        start = position + len(label) + 2
        end = position + len(paragraph.rstrip("\n"))
        turns.append(TurnSpan(label, "interviewer" if label == "H" else "respondent", start, end, position))
        sentence = start
        for index in range(start, end):
            if text[index] == "." and (index + 1 == end or text[index + 1] == " "):
                segments.append(SegmentSpan(sentence, index + 1, len(turns) - 1))
                sentence = index + 2
        position += len(paragraph) + 2
    return turns, segments


def coding_session(store, plan):
    ids = dict(store.db.execute("SELECT guid, id FROM codings").fetchall())
    for index, step in enumerate(plan):
        op = step["op"]
        if op == "code":
            ids[step["guid"]] = store.add_coding(step["doc"], step["code"], step["start"], step["end"], guid=step["guid"])
        elif op == "many":
            with store.action("code several passages"):
                for item in step["items"]:
                    ids[item["guid"]] = store.add_coding(item["doc"], item["code"], item["start"], item["end"],
                                                         guid=item["guid"])
        elif op == "move":
            store.update_coding(ids[step["guid"]], start=step["start"], end=step["end"])
        elif op == "delete":
            store.delete_coding(ids[step["guid"]])
        elif op == "memo":
            store.set_memo("document", step["doc"], step["text"])
        elif op == "undo":
            assert store.undo() is not None
        elif op == "redo":
            assert store.redo() is not None
        say("ack", index)


def import_session(store, files):
    from pathlib import Path
    for name in files:
        path = Path(name)
        if import_paths is not None:
            import_paths(store, [path])
        else:
            text = path.read_text(encoding="utf-8")
            turns, segments = spans(text)
            store.add_document(title=path.stem, text=text, format="txt", language="fi", respondent=path.stem,
                               source_name=path.name, turns=turns, segments=segments)
        say("ack", path.stem)


say("zygote", "importer" if import_paths is not None else "add_document")
for line in sys.stdin:
    job = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            say("ready", os.getpid())
            store = Store.open(job["project"], user="killer")
            if kind == "coding":
                coding_session(store, job["plan"])
            else:
                import_session(store, job["files"])
            store.close()
            say("done")
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    say("end", status)
'''


# ---------------------------------------------------------------- the harness (also used by benchmarks/bench_kill.py)
@dataclass
class KillFigures:
    kills: int = 0  # rounds ended by SIGKILL
    finished: int = 0  # rounds whose session ended before the kill came
    acknowledged: int = 0  # acknowledged actions, each checked after reopening
    in_flight_committed: int = 0  # rounds where the unacknowledged action had been committed
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, other: KillFigures) -> None:
        self.kills += other.kills
        self.finished += other.finished
        self.acknowledged += other.acknowledged
        self.in_flight_committed += other.in_flight_committed
        self.failures += other.failures

    def line(self, what: str) -> str:
        return (f"{what}: {self.kills} kills, {self.finished} sessions finished first, {self.acknowledged} acknowledged "
                f"actions checked, {self.in_flight_committed} unacknowledged actions found committed, "
                f"{len(self.failures)} failures, {self.seconds:.1f} s")


HUNG_AFTER = 120.0  # seconds a round may take before its child is killed as hung


def _kill_quietly(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class Zygote:
    """The forking parent of the killed children (see the module docstring)."""

    def __init__(self, kind: str, log: Path) -> None:
        self.log = log.open("w")
        environment = {**os.environ, "PYTHONPATH": str(REPO), "QUALCODE_CODER": "killer"}
        self.process = subprocess.Popen([sys.executable, "-c", ZYGOTE, kind], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log, text=True, bufsize=1,
                                        env=environment, cwd=REPO)
        self.mode = self._line().split()[1]

    def _line(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the zygote died: {self.log.name}")
        return line

    def round(self, job: dict, kill_after: int, jitter: float) -> tuple[list[str], bool]:
        """Run one child; kill it after `kill_after` acks and `jitter` seconds. Returns the
        acknowledged items and whether the kill (rather than the end of the session) ended it."""
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        words = self._line().split()
        assert words[0] == "ready", words
        pid = int(words[1])
        hung = threading.Event()
        watchdog = threading.Timer(HUNG_AFTER, lambda: (hung.set(), _kill_quietly(pid)))
        watchdog.start()  # a hung child must not hang the test
        acks: list[str] = []
        finished = False
        try:
            while len(acks) < kill_after:
                words = self._line().split()
                if words[0] != "ack":
                    finished = words[0] == "done"
                    break
                acks.append(words[1])
            if not finished and words[0] != "end":
                time.sleep(jitter)  # fault injection: land the kill anywhere in the next action
                _kill_quietly(pid)
            while words[0] != "end":
                words = self._line().split()
                if words[0] == "ack":
                    acks.append(words[1])
                elif words[0] == "done":
                    finished = True
        finally:
            watchdog.cancel()
        status = int(words[1])
        if hung.is_set():
            raise RuntimeError(f"a child hung for {HUNG_AFTER} s and was killed")
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0:
            raise RuntimeError(f"the child failed (see {self.log.name}): {self.log_text()[-2000:]}")
        return acks, not finished

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.log.close()


# ---------------------------------------------------------------- the coding session model
TEXTS = [
    ("H: Miten tilaatte tuotteita?\n\nV: " + " ".join(f"Lause {i} kertoo tilaamisesta ja toimituksista." for i in range(40))),
    ("H: Millainen suhde teillä on?\n\nV: " + " ".join(f"Virke {i} kuvaa luottamusta ja yhteistyötä." for i in range(40))),
    ("H: Mitä toivotte?\n\nV: " + " ".join(f"Toive {i} koskee uutuuksia ja nopeutta." for i in range(40))),
]
CODES = 4


def make_coding_project(path: Path) -> None:
    with Store.open(path, create=True, user="killer") as store:
        for number, text in enumerate(TEXTS, start=1):
            turns, segments = _spans(text)
            store.add_document(title=f"H{number}", text=text, format="txt", language="fi", respondent=f"H{number}",
                               turns=turns, segments=segments)
        for number in range(CODES):
            store.add_code(f"Teema {number + 1}")


def _spans(text: str) -> tuple[list[TurnSpan], list[SegmentSpan]]:
    from tests.conftest import simple_spans

    return simple_spans(text)


State = tuple[dict[str, tuple[int, int, int, int]], dict[int, str]]


def read_state(store: Store) -> State:
    codings = {guid: (doc, code, start, end) for guid, doc, code, start, end in store.db.execute(
        'SELECT guid, document_id, code_id, start, "end" FROM codings')}
    memos = dict(store.db.execute("SELECT target_id, text FROM memos WHERE target_type = 'document'").fetchall())
    return codings, memos


def plan_session(rng: random.Random, start: State, label: str, steps: int) -> tuple[list[dict], list[State]]:
    """A random session and the state after each of its steps (states[0] is `start`)."""
    codings, memos = dict(start[0]), dict(start[1])
    states: list[State] = [(dict(codings), dict(memos))]
    done: list[State] = []  # states before each action of this session, for undo
    undone: list[State] = []
    plan: list[dict] = []

    def free_span(doc: int | None = None, code: int | None = None) -> tuple[int, int, int, int]:
        taken = set(codings.values())
        while True:
            chosen = doc or rng.randint(1, len(TEXTS))
            begin = rng.randrange(0, len(TEXTS[chosen - 1]) - 50)
            span = (chosen, code or rng.randint(1, CODES), begin, begin + rng.randint(3, 45))
            if span not in taken:
                return span

    for index in range(steps):
        roll = rng.random()
        guid = f"{label}-{index}"
        before = (dict(codings), dict(memos))
        if roll < 0.10 and done:
            plan.append({"op": "undo"})
            undone.append(before)
            codings, memos = (dict(s) for s in done.pop())
        elif roll < 0.15 and undone:
            plan.append({"op": "redo"})
            done.append(before)
            codings, memos = (dict(s) for s in undone.pop())
        else:
            if roll < 0.30 and codings:
                target = rng.choice(sorted(codings))
                doc, code, begin, end = free_span(*codings[target][:2])
                plan.append({"op": "move", "guid": target, "start": begin, "end": end})
                codings[target] = (doc, code, begin, end)
            elif roll < 0.38 and codings:
                target = rng.choice(sorted(codings))
                plan.append({"op": "delete", "guid": target})
                del codings[target]
            elif roll < 0.46:
                doc = rng.randint(1, len(TEXTS))
                plan.append({"op": "memo", "doc": doc, "text": f"muistio {guid}"})
                memos[doc] = f"muistio {guid}"
            elif roll < 0.56:
                items = []
                for part in range(3):
                    doc, code, begin, end = free_span()
                    items.append({"guid": f"{guid}.{part}", "doc": doc, "code": code, "start": begin, "end": end})
                    codings[f"{guid}.{part}"] = (doc, code, begin, end)
                plan.append({"op": "many", "items": items})
            else:
                doc, code, begin, end = free_span()
                plan.append({"op": "code", "guid": guid, "doc": doc, "code": code, "start": begin, "end": end})
                codings[guid] = (doc, code, begin, end)
            done.append(before)
            undone.clear()
        states.append((dict(codings), dict(memos)))
    return plan, states


def verify(path: Path) -> tuple[State | None, list[str]]:
    """Reopen as a user would, then check integrity; returns the state and any problems."""
    problems = []
    try:
        with Store.open(path, user="checker") as store:
            state = read_state(store)
            rows = [r[0] for r in store.db.execute("PRAGMA integrity_check")]
            if rows != ["ok"]:
                problems.append(f"integrity_check: {rows}")
    except Exception as error:  # noqa: BLE001 - any failure to open is what this test looks for
        return None, [f"cannot open: {error!r}"]
    report = check_project(path)
    problems += report.problems
    return state, problems


def coding_kills(folder: Path, rounds: int, seed: int, *, steps: int = 60, max_kill_after: int = 30,
                 rounds_per_project: int = 100) -> KillFigures:
    """`rounds` kills of a coding session; a new project every `rounds_per_project` rounds
    keeps the model small (the same project survives that many kills in a row)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    figures = KillFigures()
    zygote = Zygote("coding", folder / "zygote.log")
    try:
        for number in range(rounds):
            path = folder / f"session{number // rounds_per_project}.qualcode"
            if number % rounds_per_project == 0:
                make_coding_project(path)
            with Store.open(path, read_only=True) as store:
                start = read_state(store)
            plan, states = plan_session(rng, start, f"r{number}", steps)
            acks, killed = zygote.round({"project": str(path), "plan": plan}, rng.randint(0, max_kill_after),
                                        rng.random() * 0.004)
            figures.kills += killed
            figures.finished += not killed
            figures.acknowledged += len(acks)
            state, problems = verify(path)
            done = len(acks)
            if state is not None and state == states[done]:
                pass
            elif state is not None and killed and done + 1 < len(states) and state == states[done + 1]:
                figures.in_flight_committed += 1
            else:
                problems.append(f"after {done} acknowledged actions the project holds another state")
            figures.failures += [f"{folder.name} round {number}: {p}" for p in problems]
    finally:
        zygote.close()
    return figures


# ---------------------------------------------------------------- the import session
WORDS = ("asiakas", "tilaus", "toimitus", "tuote", "palvelu", "hinta", "laatu", "yhteistyö", "myymälä", "kampanja")


def make_transcripts(folder: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        turns = []
        for turn in range(30):
            label = "H" if turn % 2 == 0 else "V"
            sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize() + "."
                         for _ in range(rng.randint(1, 4))]
            turns.append(f"{label}: {' '.join(sentences)}")
        path = folder / f"T{number:04d}.txt"
        path.write_text("\n\n".join(turns) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def imported(store: Store) -> set[str]:
    names = set()
    for title, source in store.db.execute("SELECT title, source_name FROM documents"):
        for value in (title, source):
            if value:
                names.add(Path(value).stem)
    return names


def import_kills(folder: Path, rounds: int, seed: int, *, files_per_round: int = 12) -> tuple[KillFigures, str]:
    """`rounds` kills of an import of generated transcripts into one project."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "import.qualcode"
    Store.open(path, create=True).close()
    transcripts = make_transcripts(folder / "transcripts", rounds * files_per_round, seed)
    figures = KillFigures()
    zygote = Zygote("import", folder / "zygote.log")
    try:
        for number in range(rounds):
            with Store.open(path, read_only=True) as store:
                present = imported(store)
            todo = [p for p in transcripts if p.stem not in present][:files_per_round]
            if not todo:
                break
            acks, killed = zygote.round({"project": str(path), "files": [str(p) for p in todo]},
                                        rng.randint(0, files_per_round // 2), rng.random() * 0.01)
            figures.kills += killed
            figures.finished += not killed
            figures.acknowledged += len(acks)
            _state, problems = verify(path)
            with Store.open(path, read_only=True) as store:
                now = imported(store)
            new = {p.stem for p in todo} & now
            missing = set(acks) - now
            if missing:
                problems.append(f"acknowledged imports missing: {sorted(missing)}")
            in_flight = new - set(acks)
            if len(in_flight) > 1 or (in_flight and not killed):
                problems.append(f"documents nobody acknowledged: {sorted(in_flight)}")
            figures.in_flight_committed += len(in_flight)
            figures.failures += [f"import round {number}: {p}" for p in problems]
    finally:
        zygote.close()
    return figures, zygote.mode


def run_coding_kills(folder: Path, kills: int, seed: int, workers: int = 2, max_kill_after: int = 30) -> KillFigures:
    """Kills spread over `workers` projects killed in parallel."""
    started = time.perf_counter()
    share = [kills // workers + (i < kills % workers) for i in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda i: coding_kills(folder / f"worker{i}", share[i], seed + i,
                                                       max_kill_after=max_kill_after), range(workers)))
    total = KillFigures()
    for result in results:
        total.add(result)
    total.seconds = time.perf_counter() - started
    return total


# ---------------------------------------------------------------- tests
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill harness forks (POSIX only)")


def test_killed_coding_sessions_lose_no_acknowledged_action(tmp_path):
    figures = run_coding_kills(tmp_path, CODING_KILLS, SEED, max_kill_after=20)
    print(figures.line("coding"))
    assert figures.failures == []
    assert figures.kills + figures.finished == CODING_KILLS and figures.kills > CODING_KILLS * 0.9
    assert figures.acknowledged > CODING_KILLS * 5  # about 10 per round


def test_killed_imports_lose_no_acknowledged_document(tmp_path):
    started = time.perf_counter()
    figures, mode = import_kills(tmp_path, IMPORT_KILLS, SEED)
    figures.seconds = time.perf_counter() - started
    print(figures.line(f"import ({mode})"))
    assert figures.failures == []
    assert figures.kills > IMPORT_KILLS * 0.7 and figures.acknowledged > IMPORT_KILLS


# ---------------------------------------------------------------- concurrent use
OTHER_PROCESS = r'''
import json, sys
from click.testing import CliRunner
from qualcode.cli import cli
from qualcode.errors import ProjectLockedError
from qualcode.store import Store
project = sys.argv[1]
result = {}
try:
    Store.open(project)
    result["writer"] = "opened"
except ProjectLockedError as error:
    result["writer"] = str(error)
runner = CliRunner()
for name, args in (("info", ["info", project, "--format", "json"]), ("documents", ["documents", project, "--format", "json"]),
                   ("backup", ["backup", project]), ("check", ["check", project, "--format", "json"]),
                   ("restore", ["restore", project, "latest"])):
    outcome = runner.invoke(cli, args)
    result[name] = {"code": outcome.exit_code, "stdout": outcome.stdout, "stderr": outcome.stderr}
print(json.dumps(result))
'''


def test_a_second_writer_is_told_and_readers_work_while_a_writer_is_open(tmp_path):
    path = tmp_path / "study.qualcode"
    make_coding_project(path)
    with Store.open(path, backups_on_open=False) as writer:
        writer.add_coding(1, 1, 0, 10)  # committed while the writer stays open
        done = subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(path)], capture_output=True, text=True,
                              cwd=REPO, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        writer.add_coding(1, 1, 20, 30)  # the writer carries on
    assert result["writer"].startswith(f"{path} is open in another qualcode process for writing. Close that window")
    assert result["info"]["code"] == 0 and json.loads(result["info"]["stdout"])["codings"] == 1
    assert [d["title"] for d in json.loads(result["documents"]["stdout"])["documents"]] == ["H1", "H2", "H3"]
    assert result["backup"]["code"] == 0 and json.loads(result["check"]["stdout"])["ok"] is True
    assert result["restore"]["code"] == 1 and "close it, then restore the backup" in result["restore"]["stderr"]
    with Store.open(path, read_only=True) as store:
        assert len(store.codings()) == 2
