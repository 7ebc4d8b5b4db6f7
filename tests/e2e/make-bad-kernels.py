#!/usr/bin/env python3
"""Write broken kernels, each wrong in exactly one way, made from the probes.

usage: make-bad-kernels.py KERNELS_DIR OUT_DIR
"""
import struct, sys

kdir, out = sys.argv[1], sys.argv[2]
pvh = bytearray(open(f"{kdir}/pvh-elf64-note8.elf", "rb").read())
mb1 = bytearray(open(f"{kdir}/mb1-elf.elf", "rb").read())
bz = bytearray(open(f"{kdir}/linux64.bzImage", "rb").read())


def phdrs(elf):
    """(offset of each ELF64 program header, its type)."""
    phoff, = struct.unpack_from("<Q", elf, 32)
    phentsize, phnum = struct.unpack_from("<HH", elf, 54)
    return [(phoff + i * phentsize, struct.unpack_from("<I", elf, phoff + i * phentsize)[0])
            for i in range(phnum)]


def write(name, data):
    open(f"{out}/{name}", "wb").write(bytes(data))


# 1. A truncated ELF: cut in the middle of its first loadable segment.
for off, ptype in phdrs(pvh):
    if ptype == 1:
        p_offset, = struct.unpack_from("<Q", pvh, off + 8)
        p_filesz, = struct.unpack_from("<Q", pvh, off + 32)
        write("truncated.elf", pvh[:p_offset + p_filesz // 2])
        break

# 2. A Xen note whose descsz runs far past its segment.
bad = bytearray(pvh)
for off, ptype in phdrs(bad):
    if ptype == 4:  # PT_NOTE
        note, = struct.unpack_from("<Q", bad, off + 8)
        struct.pack_into("<I", bad, note + 4, 0xFFFFFF00)
write("absurd-descsz.elf", bad)

# 3. A multiboot1 header requiring an unknown feature (flag bit 3).
bad = bytearray(mb1)
for i in range(0, min(len(bad), 8192) - 12, 4):
    magic, flags, _ = struct.unpack_from("<III", bad, i)
    if magic == 0x1BADB002:
        flags |= 1 << 3
        struct.pack_into("<II", bad, i + 4, flags, (-(magic + flags)) & 0xFFFFFFFF)
        break
write("mb1-unknown-flag.elf", bad)

# 4. A bzImage claiming boot protocol 2.05.
bad = bytearray(bz)
struct.pack_into("<H", bad, 0x206, 0x0205)
write("protocol-205.bzImage", bad)

# 5. A PVH kernel whose segment sits on the local APIC at 0xFEE00000.
bad = bytearray(pvh)
for off, ptype in phdrs(bad):
    if ptype == 1:  # PT_LOAD: vaddr and paddr
        struct.pack_into("<QQ", bad, off + 16, 0xFEE00000, 0xFEE00000)
        break
write("segment-lapic.elf", bad)


# multiboot2 (issue 11): the probes' headers, one tag changed.
def mb2_tags(img):
    """(offset, type, size) of each header tag of the first valid header."""
    for h in range(0, min(len(img), 32768) - 16, 8):
        magic, arch, length, csum = struct.unpack_from("<IIII", img, h)
        if magic == 0xE85250D6 and (magic + arch + length + csum) & 0xFFFFFFFF == 0:
            tags, t = [], h + 16
            while t < h + length:
                ttype, _, size = struct.unpack_from("<HHI", img, t)
                tags.append((t, ttype, size))
                if ttype == 0:
                    return tags
                t += (size + 7) & ~7
    raise SystemExit("no multiboot2 header")


# 6. A required header tag of unknown type 11 (the module alignment tag's place).
bad = bytearray(open(f"{kdir}/mb2-elf.elf", "rb").read())
for off, ttype, _ in mb2_tags(bad):
    if ttype == 6:
        struct.pack_into("<H", bad, off, 11)
write("mb2-unknown-tag.elf", bad)

# 7. An address tag that puts the image on the BIOS area at 0xF0000.
bad = bytearray(open(f"{kdir}/mb2-addr.bin", "rb").read())
for off, ttype, _ in mb2_tags(bad):
    if ttype == 2:
        hdr, load, end, bss = struct.unpack_from("<IIII", bad, off + 8)
        struct.pack_into("<IIII", bad, off + 8, *(v - load + 0xF0000 for v in (hdr, load, end, bss)))
write("mb2-bios-area.bin", bad)
