#!/bin/bash
# Partitioned disk images made by the real sfdisk, for tests/unit/test_partition.
# usage: partitions.sh OUTDIR
set -e
out=$1
mkdir -p "$out"

mk() { # NAME SIZE_MIB SCRIPT
	rm -f "$out/$1"
	truncate -s "$2M" "$out/$1"
	printf '%s' "$3" | sfdisk -q --no-reread --no-tell-kernel "$out/$1" >/dev/null
}

mk gpt.img 64 'label: gpt
unit: sectors
start=2048, size=4096, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI system", uuid=11111111-2222-3333-4444-555555555555
start=8192, size=16384, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="boot Ωμέγα"
start=32768, size=8192, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root"
'
mk mbr.img 64 'label: dos
unit: sectors
start=2048, size=4096, type=83
start=8192, size=4096, type=c
start=16384, size=100000, type=5
start=18432, size=2048, type=83
start=22528, size=4096, type=83
start=28672, size=8192, type=82
'
# GPT whose primary header is damaged: the backup at the last LBA must be used.
cp "$out/gpt.img" "$out/gpt-primary-bad.img"
printf 'X' | dd of="$out/gpt-primary-bad.img" bs=1 seek=$((512 + 100)) conv=notrunc status=none
printf 'X' | dd of="$out/gpt-primary-bad.img" bs=1 seek=$((512 + 24)) conv=notrunc status=none
# Both headers damaged: no partitions, a warning, no crash.
cp "$out/gpt-primary-bad.img" "$out/gpt-both-bad.img"
size=$(stat -c %s "$out/gpt-both-bad.img")
printf 'X' | dd of="$out/gpt-both-bad.img" bs=1 seek=$((size - 512 + 24)) conv=notrunc status=none
# Entry array corrupted in the primary only.
cp "$out/gpt.img" "$out/gpt-entries-bad.img"
printf 'X' | dd of="$out/gpt-entries-bad.img" bs=1 seek=$((1024 + 130)) conv=notrunc status=none
