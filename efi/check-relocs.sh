#!/bin/sh
# check-relocs.sh SO: fail unless gnu-efi's self-relocator can apply every
# relocation of the linked shared object SO.
#
# The PE image that objcopy makes from SO carries no real base relocations;
# crt0 calls _relocate() (gnu-efi lib/reloc_x86_64.c), which walks the
# DT_RELA table and applies only R_X86_64_RELATIVE (skipping R_X86_64_NONE).
# Any other type - an absolute symbol reference, a GOT or PLT entry for an
# undefined symbol - would make it fail or, worse, leave a wrong pointer.
# Linux's EFI stub refuses absolute references the same way (libstub's
# Makefile runs objdump -r over its objects). Every relocation section must
# also lie inside DT_RELA: _relocate never sees the others.
set -eu
so=$1
fail() {
	echo "error: $so: $*" >&2
	exit 1
}

types=$(readelf -rW "$so" | awk '$3 ~ /^R_/ { print $3 }')
bad=$(printf '%s\n' "$types" | grep -v -x -e R_X86_64_RELATIVE -e R_X86_64_NONE -e '' |
	sort | uniq -c | tr -s ' \n' ' ' || true)
[ -z "$bad" ] || fail "relocations the gnu-efi self-relocator cannot apply:$bad(build every EFI object with -fpic, and leave no symbol undefined)"

listed=$(printf '%s\n' "$types" | grep -c . || true)
dyn=$(readelf -dW "$so")
if printf '%s\n' "$dyn" | grep -q '(REL)\|(RELR)'; then
	fail "REL/RELR tables, but _relocate reads only RELA"
fi
relasz=$(printf '%s\n' "$dyn" | awk '$2 == "(RELASZ)" { print $3 }')
relaent=$(printf '%s\n' "$dyn" | awk '$2 == "(RELAENT)" { print $3 }')
if [ -z "$relasz" ]; then
	[ "$listed" -eq 0 ] || fail "$listed relocations but no DT_RELA table"
	exit 0
fi
[ "${relaent:-0}" -gt 0 ] || fail "DT_RELAENT missing"
covered=$((relasz / relaent))
[ "$covered" -eq "$listed" ] ||
	fail "DT_RELA covers $covered relocations but the sections hold $listed: some would never be applied"
