#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fat_range.py IMAGE[@@OFFSET] NAME: where a file in the root directory of
a FAT32 volume lies, as "OFFSET BYTES" (the offset from the volume's first
byte). The file must be one contiguous run of clusters, which a fresh
mkfs.fat + mcopy gives: the EFI benchmark's Block I/O reader reads exactly
that range (tests/bench/efi.sh), so any other layout is an error here.

NAME is the 8.3 name as stored ("INITRD  IMG"); the boot sector and FAT
follow Microsoft's "FAT: General Overview of On-Disk Format" 1.03.
"""
import struct
import sys


def main():
    spec, name = sys.argv[1], sys.argv[2].encode()
    path, _, off = spec.partition("@@")
    base = int(off or 0)
    with open(path, "rb") as f:
        def read(pos, n):
            f.seek(base + pos)
            return f.read(n)

        bs = read(0, 512)
        bps, spc, reserved, nfats = struct.unpack_from("<HBHB", bs, 11)
        fat_sectors, root_cluster = struct.unpack_from("<I4xI", bs, 36)
        if bs[510:512] != b"\x55\xaa" or struct.unpack_from("<H", bs, 22)[0] != 0:
            sys.exit("not a FAT32 boot sector")
        csize = bps * spc
        fat_off = reserved * bps
        data_off = fat_off + nfats * fat_sectors * bps
        fat = read(fat_off, fat_sectors * bps)

        def next_cluster(c):
            return struct.unpack_from("<I", fat, 4 * c)[0] & 0x0FFFFFFF

        def cluster_pos(c):
            return data_off + (c - 2) * csize

        # The root directory's chain, entry by entry.
        c = root_cluster
        while c < 0x0FFFFFF8:
            block = read(cluster_pos(c), csize)
            for i in range(0, csize, 32):
                e = block[i:i + 32]
                if e[0] == 0:
                    sys.exit(f"{sys.argv[2]!r} not in the root directory")
                if e[11] == 0x0F or e[0] == 0xE5 or e[:11] != name:
                    continue
                hi, lo, size = struct.unpack_from("<H4xHI", e, 20)
                first = hi << 16 | lo
                count = (size + csize - 1) // csize
                cur = first
                for _ in range(count - 1):
                    nxt = next_cluster(cur)
                    if nxt != cur + 1:
                        sys.exit(f"not contiguous: cluster {cur} links to {nxt}")
                    cur = nxt
                if next_cluster(cur) < 0x0FFFFFF8:
                    sys.exit("the chain goes on past the file's size")
                print(cluster_pos(first), size)
                return
            c = next_cluster(c)
        sys.exit(f"{sys.argv[2]!r} not in the root directory")


main()
