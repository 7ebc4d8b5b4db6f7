/* SPDX-License-Identifier: MIT */
/*
 * The probe's only way to reach memory the loader handed over: every
 * address is checked against the window before a pointer is formed.
 */
#include "probe.h"

int probe_map(const struct probe_mem *m, uint64_t paddr, uint64_t len, const void **out)
{
	if (paddr == 0 || !range_ok(paddr, len, m->size))
		return -EFAULT;
	*out = (const void *)(m->base + (uintptr_t)paddr);
	return 0;
}

int probe_read(const struct probe_mem *m, uint64_t paddr, void *dst, size_t len)
{
	const void *src;
	int rc = probe_map(m, paddr, len, &src);

	if (rc)
		return rc;
	memcpy(dst, src, len);
	return 0;
}

int probe_strlen(const struct probe_mem *m, uint64_t paddr, uint64_t max, size_t *len)
{
	const uint8_t *p;
	int rc;

	/* Byte by byte: the string may end right before the window does. */
	for (uint64_t i = 0; i <= max; i++) {
		if (paddr + i < paddr)
			return -EFAULT;
		rc = probe_map(m, paddr + i, 1, (const void **)&p);
		if (rc)
			return rc;
		if (*p == 0) {
			*len = (size_t)i;
			return 0;
		}
	}
	return -E2BIG;
}
