#!/bin/bash
# The Debian package: built from this tree (tools/make-deb.sh, lintian
# clean), unpacked into a throwaway root with dpkg -x, and every file where
# the man pages and docs say it is:
#
#   deb-build   dpkg-buildpackage -b gives pvhboot_*.deb; lintian has nothing
#               to say (its overrides, each explained, in debian/)
#   deb-files   /usr/lib/pvhboot/pvhboot.elf (with the Xen PHYS32_ENTRY
#               note), /usr/lib/pvhboot/pvhboot.efi (a PE image with the
#               version banner), /usr/bin/pvhboot (runs), the man pages,
#               the docs; every /usr/... path the man pages and docs name
#   deb-man     each page renders with `man --warnings` and groff -ww
#               without a single warning
# One line per case, "ok NAME" or "not ok NAME: why"; exit 1 if any failed.
# Needs: debhelper lintian man-db groff-base (tools/install-deps.sh).
cd "$(dirname "$0")/../.." || exit 1
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAILED=0
not_ok() {
	echo "not ok $1: $2"
	FAILED=1
}

if ! deb=$(tools/make-deb.sh "$WORK/deb" 2>"$WORK/make-deb.err"); then
	not_ok deb-build "$(tail -n 5 "$WORK/make-deb.err" | tr '\n' '|')"
	exit 1
fi
echo "ok deb-build ($(basename "$deb"), $(stat -c %s "$deb") bytes, lintian clean)"

R=$WORK/root
dpkg -x "$deb" "$R"
missing=
for f in usr/lib/pvhboot/pvhboot.elf usr/lib/pvhboot/pvhboot.efi usr/bin/pvhboot \
	usr/share/man/man1/pvhboot.1.gz usr/share/man/man5/pvhboot.cfg.5.gz \
	usr/share/man/man7/pvhboot.7.gz usr/share/doc/pvhboot/copyright; do
	[ -f "$R/$f" ] || missing="$missing /$f"
done
# Every /usr/lib/pvhboot, /usr/bin or /usr/share/man path the pages and docs name.
named=$( (zcat "$R"/usr/share/man/man*/*.gz; cat README.md docs/*.md) |
	grep -oE '/usr/(lib/pvhboot|bin)/[A-Za-z0-9._-]+' | sort -u)
for f in $named; do
	[ -e "$R$f" ] || missing="$missing $f(named in the docs)"
done
if [ -n "$missing" ]; then
	not_ok deb-files "missing:$missing"
elif ! readelf -n "$R/usr/lib/pvhboot/pvhboot.elf" | grep -q '0x00000012'; then
	not_ok deb-files "pvhboot.elf has no Xen PHYS32_ENTRY note"
elif [ "$(head -c 2 "$R/usr/lib/pvhboot/pvhboot.efi")" != MZ ] ||
	! grep -qa 'pvhboot [0-9][^ ]* (EFI x86_64)' "$R/usr/lib/pvhboot/pvhboot.efi"; then
	not_ok deb-files "pvhboot.efi is not a pvhboot PE image"
elif ! "$R/usr/bin/pvhboot" xl-config | grep -qxF 'kernel = "/usr/lib/pvhboot/pvhboot.elf"'; then
	not_ok deb-files "/usr/bin/pvhboot xl-config: $("$R/usr/bin/pvhboot" xl-config 2>&1 | tr '\n' '|')"
else
	echo "ok deb-files ($(find "$R" -type f | wc -l) files; paths named in the docs:" $named")"
fi

warn=
for page in "$R"/usr/share/man/man*/*.gz; do
	w=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null; zcat "$page" | groff -ww -z -man 2>&1)
	[ -n "$w" ] && warn="$warn $(basename "$page"): $(head -n 2 <<<"$w" | tr '\n' '|')"
done
if [ -n "$warn" ]; then
	not_ok deb-man "$warn"
else
	echo "ok deb-man ($(ls "$R"/usr/share/man/man*/*.gz | wc -l) pages, no warnings)"
fi
exit $FAILED
