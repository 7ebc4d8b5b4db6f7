/* SPDX-License-Identifier: MIT */
/*
 * The ACPI RSDP a loader passes on (start_info.rsdp_paddr,
 * boot_params.acpi_rsdp_addr). ACPI 6.5 §5.2.5.3: the signature
 * "RSD PTR ", the first 20 bytes sum to 0, and from revision 2 on all
 * `length` bytes (offset 20, at least 36) sum to 0 as well.
 */
#include "probe.h"

#define RSDP_V1_SIZE 20u
#define RSDP_V2_SIZE 36u
#define RSDP_MAX_SIZE 4096u /* sanity bound on `length` */

static uint8_t byte_sum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;
	while (len--)
		sum = (uint8_t)(sum + *p++);
	return sum;
}

/* 0 when valid, else -EINVAL with the reason in @why. */
static int rsdp_validate(const struct probe_mem *m, uint64_t paddr, char *why, size_t n)
{
	const uint8_t *p;

	if (paddr == 0) {
		probe_snprintf(why, n, "absent (address 0)");
		return -EINVAL;
	}
	if (probe_map(m, paddr, RSDP_V1_SIZE, (const void **)&p) != 0) {
		probe_snprintf(why, n, "0x%llx is outside reachable memory",
			       (unsigned long long)paddr);
		return -EINVAL;
	}
	if (memcmp(p, "RSD PTR ", 8) != 0) {
		probe_snprintf(why, n, "no \"RSD PTR \" signature at 0x%llx",
			       (unsigned long long)paddr);
		return -EINVAL;
	}
	if (byte_sum(p, RSDP_V1_SIZE) != 0) {
		probe_snprintf(why, n, "the first 20 bytes sum to 0x%02x, not 0",
			       byte_sum(p, RSDP_V1_SIZE));
		return -EINVAL;
	}
	uint8_t revision = p[15];
	if (revision < 2)
		return 0;
	uint32_t length = 0;
	if (probe_map(m, paddr, RSDP_V2_SIZE, (const void **)&p) == 0)
		length = get_le32(p + 20);
	if (length < RSDP_V2_SIZE || length > RSDP_MAX_SIZE ||
	    probe_map(m, paddr, length, (const void **)&p) != 0) {
		probe_snprintf(why, n, "revision %u with bad length %u", revision, length);
		return -EINVAL;
	}
	if (byte_sum(p, length) != 0) {
		probe_snprintf(why, n, "revision %u: the %u bytes sum to 0x%02x, not 0", revision,
			       length, byte_sum(p, length));
		return -EINVAL;
	}
	return 0;
}

void check_rsdp(const struct probe_env *e, const char *name, uint64_t paddr)
{
	char why[96];
	int rc = rsdp_validate(&e->mem, paddr, why, sizeof(why));

	report_check(e->r, name, rc == 0, "%s", why);
}
