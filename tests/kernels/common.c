/* SPDX-License-Identifier: MIT */
/* Checks the three protocols share: strings, modules, the loaded image. */
#include "probe.h"

int probe_string(const struct probe_env *e, const char *name, uint64_t paddr, uint64_t max,
		 const char **s, size_t *len)
{
	int rc = probe_strlen(&e->mem, paddr, max, len);

	if (rc == 0)
		rc = probe_map(&e->mem, paddr, *len, (const void **)s);
	if (rc == -E2BIG)
		report_check(e->r, name, false, "string at 0x%llx longer than %llu bytes",
			     (unsigned long long)paddr, (unsigned long long)max);
	else if (rc != 0)
		report_check(e->r, name, false, "string at 0x%llx is outside reachable memory",
			     (unsigned long long)paddr);
	return rc;
}

void check_module(const struct probe_env *e, const char *prefix, uint64_t paddr, uint64_t size,
		  const char *cmdline, size_t cmdline_len)
{
	char name[48];
	const char *val;
	size_t vlen;
	uint32_t want;
	const void *bytes;

	probe_snprintf(name, sizeof(name), "%s_crc", prefix);
	if (cmdline_value(cmdline, cmdline_len, "crc32", &val, &vlen) != 0) {
		report_check(e->r, name, false, "no crc32= in the module's command line");
		return;
	}
	if (parse_hex32(val, vlen, &want) != 0) {
		report_check(e->r, name, false, "crc32= is not 8 hex digits");
		return;
	}
	if (probe_map(&e->mem, paddr, size, &bytes) != 0) {
		report_check(e->r, name, false, "[0x%llx, +0x%llx) is outside reachable memory",
			     (unsigned long long)paddr, (unsigned long long)size);
		return;
	}
	uint32_t got = probe_crc32(bytes, (size_t)size);
	report_check(e->r, name, got == want, "crc32 of %llu bytes is %08x, cmdline says %08x",
		     (unsigned long long)size, got, want);
}

void check_bss_zero(const struct probe_env *e)
{
	if (!e->image.bss_must_be_zero)
		return;
	report_check(e->r, "bss_zero", e->cpu->bss_dirty == 0,
		     "%u non-zero bytes in .bss, the first at .bss+0x%x", e->cpu->bss_dirty,
		     e->cpu->bss_first_dirty);
}
