#!/usr/bin/env python3
"""Drive the loader's menu over the serial console, as a person would.

usage: serial_driver.py LOG SCRIPT -- QEMU ARGS...

SCRIPT is a sequence of steps separated by ';':
  expect:TEXT   wait (up to 60 s) until TEXT has appeared on the serial output
  send:KEYS     send KEYS; escapes \\e (ESC), \\r, \\n, \\b (backspace), {up} {down}
                {left} {right} {home} {end}
  sleep:SECS
The serial output is written to LOG. Exit status: QEMU's, or 125 when an
expect timed out.
"""
import os, select, subprocess, sys, time

KEYS = {"{up}": "\x1b[A", "{down}": "\x1b[B", "{right}": "\x1b[C", "{left}": "\x1b[D",
        "{home}": "\x1b[H", "{end}": "\x1b[F"}


def decode(keys):
    for name, seq in KEYS.items():
        keys = keys.replace(name, seq)
    return keys.replace("\\e", "\x1b").replace("\\r", "\r").replace("\\n", "\n") \
               .replace("\\b", "\x7f")


def main():
    log, script = sys.argv[1], sys.argv[2]
    qemu = sys.argv[sys.argv.index("--") + 1:]
    p = subprocess.Popen(qemu + ["-serial", "stdio"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = b""
    seen = 0  # expects match output after the previous match

    def pump(timeout):
        nonlocal out
        r, _, _ = select.select([p.stdout], [], [], timeout)
        if r:
            data = os.read(p.stdout.fileno(), 65536)
            if data:
                out += data
                return True
        return False

    for step in script.split(";"):
        kind, _, arg = step.partition(":")
        if kind == "expect":
            deadline = time.time() + 60
            while arg.encode() not in out[seen:]:
                if p.poll() is not None or time.time() > deadline:
                    open(log, "wb").write(out)
                    print("expect timed out: %r" % arg, file=sys.stderr)
                    p.kill()
                    return 125
                pump(0.2)
            seen = out.index(arg.encode(), seen) + len(arg)
        elif kind == "send":
            for ch in decode(arg):
                p.stdin.write(ch.encode())
                p.stdin.flush()
                time.sleep(0.02)
        elif kind == "sleep":
            time.sleep(float(arg))
    deadline = time.time() + 60
    while p.poll() is None and time.time() < deadline:
        pump(0.2)
    while pump(0):
        pass
    if p.poll() is None:
        p.kill()
        p.wait()
    open(log, "wb").write(out)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
