#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run one hwtest script with the built iommusim and check the outcome.

usage: check.py IOMMUSIM SCRIPT

The script says what must happen in comment directives (default: exit 0):

    # expect-exit: N            exit status of `iommusim hwtest SCRIPT`
    # expect-stderr: TEXT       TEXT is a line of stderr (FILE is the script's
                                base name, whatever path it was run with)
    # expect-stdout: TEXT       TEXT is a line of stdout
    # expect-stdout-lacks: TEXT no line of stdout contains TEXT
    # expect-stdout-empty       nothing on stdout (nothing ran)

A script expected to pass is run under several seeds and scheduling
strategies, and its stdout must be the same every time: a register-level
script must not depend on the schedule (DESIGN.md section 3).
"""
import os
import subprocess
import sys

RUNS = [
    [],
    ["--strategy", "rr"],
    ["--seed", "7", "--strategy", "random"],
    ["--seed", "3", "--strategy", "pct:3"],
]


def directives(path):
    d = {"exit": 0, "stderr": [], "stdout": [], "stdout-lacks": [], "stdout_empty": False}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("# expect-"):
                continue
            key, _, val = line[len("# expect-"):].partition(":")
            val = val.strip()
            if key == "exit":
                d["exit"] = int(val)
            elif key in ("stderr", "stdout", "stdout-lacks"):
                d[key].append(val)
            elif key == "stdout-empty":
                d["stdout_empty"] = True
            else:
                sys.exit(f"{path}: unknown directive '# expect-{key}'")
    return d


def run(exe, script, opts):
    p = subprocess.run([exe, "hwtest", script] + opts, capture_output=True,
                       text=True, timeout=300)
    name = os.path.basename(script)
    return p.returncode, p.stdout.replace(script, name), p.stderr.replace(script, name)


def check(exe, script):
    d = directives(script)
    first = None
    for opts in RUNS if d["exit"] == 0 else [[]]:
        rc, out, err = run(exe, script, opts)
        how = " ".join(opts) or "default options"
        problems = []
        if rc != d["exit"]:
            problems.append(f"exit status {rc}, expected {d['exit']}")
        err_lines = err.splitlines()
        out_lines = out.splitlines()
        problems += [f"stderr lacks: {e}" for e in d["stderr"] if e not in err_lines]
        problems += [f"stdout lacks: {e}" for e in d["stdout"] if e not in out_lines]
        problems += [f"stdout has: {e}" for e in d["stdout-lacks"] if e in out]
        if d["stdout_empty"] and out:
            problems.append("stdout is not empty")
        for marker in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
            if marker in err:
                problems.append(f"sanitizer report on stderr ({marker})")
        if first is not None and out != first:
            problems.append("stdout differs from the run with default options")
        if problems:
            print(f"{script} ({how}):")
            for p in problems:
                print("  " + p)
            print("--- stdout\n" + out + "--- stderr\n" + err, end="")
            return 1
        first = out if first is None else first
    print(f"{os.path.basename(script)}: ok")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(check(sys.argv[1], sys.argv[2]))
