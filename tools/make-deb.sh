#!/bin/bash
# Build the Debian package from this tree: a copy of the sources (no build
# output, no .git) in OUTDIR/pvhboot-VERSION, dpkg-buildpackage -b there,
# then lintian on the result. OUTDIR gets pvhboot_VERSION_amd64.deb; the
# last line printed is its path.
#   tools/make-deb.sh [OUTDIR]        (default build/deb)
set -e
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build/deb}")
version=$(dpkg-parsechangelog -S Version)
src=$out/pvhboot-$version
rm -rf "$out"
mkdir -p "$src"
# Everything but build output and version control; OUTDIR may sit inside the tree.
tar -c --exclude=./.git --exclude=./build --exclude="./${out#"$PWD"/}" . | tar -x -C "$src"
(cd "$src" && dpkg-buildpackage -b -us -uc -j2 >"$out/build.log" 2>&1) || {
	tail -n 30 "$out/build.log" >&2
	exit 1
}
deb=$(ls "$out"/pvhboot_"$version"_*.deb)
# Overrides live in debian/pvhboot.lintian-overrides, each with its reason.
lintian --fail-on error,warning $([ "$(id -u)" = 0 ] && echo --allow-root) "$deb" >"$out/lintian.log" 2>&1 || {
	cat "$out/lintian.log" >&2
	exit 1
}
echo "$deb"
