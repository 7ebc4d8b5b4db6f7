#!/usr/bin/env python3
"""Write the vmlinux ELF inside a bzImage: the payload named by the setup
header's payload_offset/payload_length, decompressed (xz, gzip or zstd)."""
import gzip, lzma, struct, subprocess, sys

data = open(sys.argv[1], "rb").read()
setup_sects = data[0x1F1] or 4
off, length = struct.unpack_from("<II", data, 0x248)
payload = data[(setup_sects + 1) * 512 + off:][:length]
if payload[:6] == b"\xfd7zXZ\x00":
    elf = lzma.LZMADecompressor().decompress(payload)
elif payload[:2] == b"\x1f\x8b":
    elf = gzip.decompress(payload)
elif payload[:4] == b"\x28\xb5\x2f\xfd":
    elf = subprocess.run(["zstd", "-dc"], input=payload, capture_output=True, check=True).stdout
else:
    sys.exit("unknown payload compression %r" % payload[:6])
if elf[:4] != b"\x7fELF":
    sys.exit("payload is not an ELF")
open(sys.argv[2], "wb").write(elf)
