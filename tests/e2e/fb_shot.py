#!/usr/bin/env python3
"""Take a screenshot of a guest whose multiboot1 probe painted its framebuffer.

usage: fb_shot.py DEBUGCON_LOG SHOT.ppm -- QEMU ARGS...

Starts QEMU with its serial port on a pipe and its monitor on a socket,
waits (up to 120 s) for the probe's "FIELD fb_paint=" line in DEBUGCON_LOG,
has QEMU write the screen to SHOT.ppm (monitor command screendump), then
sends the probe the byte it waits for on COM1 so that it finishes.
Exit status: QEMU's, or 125 when the probe never painted or the screenshot
never came.
"""
import os, socket, subprocess, sys, tempfile, time


def wait_for(predicate, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def monitor(sock_path, command):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock_path)
    s.settimeout(10)
    buf = b""
    while not buf.endswith(b"(qemu) "):  # the banner, then the prompt
        buf += s.recv(4096)
    s.sendall(command.encode() + b"\n")
    buf = b""
    while not buf.endswith(b"(qemu) "):  # the echo, any error, the next prompt
        buf += s.recv(4096)
    s.close()


def main():
    log, shot = sys.argv[1], sys.argv[2]
    qemu = sys.argv[sys.argv.index("--") + 1:]
    sock = os.path.join(tempfile.mkdtemp(), "monitor.sock")
    p = subprocess.Popen(qemu + ["-serial", "stdio", "-monitor",
                                 f"unix:{sock},server=on,wait=off"],
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)

    def painted():
        try:
            with open(log, "rb") as f:
                return b"FIELD fb_paint=" in f.read()
        except OSError:
            return False

    status = 125
    if wait_for(lambda: painted() or p.poll() is not None, 120) and painted():
        monitor(sock, f"screendump {shot}")
        if wait_for(lambda: os.path.exists(shot) and os.path.getsize(shot) > 0, 10):
            time.sleep(0.5)  # QEMU may still be writing it
            status = 0
    if p.poll() is None:
        p.stdin.write(b"\n")  # the probe's signal to finish
        p.stdin.flush()
    try:
        code = p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        code = p.wait()
    sys.exit(status or code)


if __name__ == "__main__":
    main()
