/* SPDX-License-Identifier: MIT */
/* Boot#### and BootOrder for pvhboot (tools/bootentry.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fs/partition.h"
#include "abi/efi_loadopt.h"
#include "bootentry.h"

/* Documented limit: Boot#### numbers looked at (UEFI allows 0000-FFFF). */
#define BOOTENTRY_SCAN 0x400

static size_t put_utf16(uint8_t *out, const char *s)
{
	size_t n = 0;
	for (; *s; s++, n += 2) {
		out[n] = (uint8_t)*s;
		out[n + 1] = 0;
	}
	out[n] = out[n + 1] = 0;
	return n + 2;
}

int bootentry_build(const struct esp *esp, const char *label, const char *file, uint8_t **out,
		    size_t *len)
{
	if (!esp->gpt)
		return -EINVAL;
	size_t desc = 2 * (strlen(label) + 1), fpath = 2 * (strlen(file) + 1);
	size_t file_node = sizeof(struct dp_header) + fpath;
	size_t dp_len = sizeof(struct dp_harddrive) + file_node + sizeof(struct dp_header);
	if (dp_len > UINT16_MAX)
		return -EINVAL;
	size_t total = 4 + 2 + desc + dp_len;
	uint8_t *p = calloc(1, total);
	if (!p)
		return -ENOMEM;
	uint32_t attrs = LOAD_OPTION_ACTIVE;
	uint16_t fpl = (uint16_t)dp_len;
	memcpy(p, &attrs, 4);
	memcpy(p + 4, &fpl, 2);
	size_t off = 6 + put_utf16(p + 6, label);

	struct dp_harddrive hd = {
		.h = { DP_TYPE_MEDIA, DP_MEDIA_HARDDRIVE, sizeof(struct dp_harddrive) },
		.partition_number = esp->partno,
		.partition_start = esp->start_lba,
		.partition_size = esp->nr_lba,
		.mbr_type = HD_MBR_TYPE_GPT,
		.signature_type = HD_SIGNATURE_GUID,
	};
	memcpy(hd.signature, esp->part_guid, 16);
	memcpy(p + off, &hd, sizeof(hd));
	off += sizeof(hd);
	struct dp_header fh = { DP_TYPE_MEDIA, DP_MEDIA_FILEPATH, (uint16_t)file_node };
	memcpy(p + off, &fh, sizeof(fh));
	off += sizeof(fh);
	off += put_utf16(p + off, file);
	struct dp_header end = { DP_TYPE_END, DP_END_ENTIRE, sizeof(struct dp_header) };
	memcpy(p + off, &end, sizeof(end));
	*out = p;
	*len = total;
	return 0;
}

/* UTF-16LE at @p (at most @max bytes, NUL-terminated within) as ASCII; bytes used or -EINVAL. */
static long get_utf16(const uint8_t *p, size_t max, char *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i + 1 < max; i += 2) {
		uint16_t c = (uint16_t)(p[i] | p[i + 1] << 8);
		if (!c) {
			if (cap)
				out[n < cap ? n : cap - 1] = 0;
			return (long)(i + 2);
		}
		if (n + 1 < cap)
			out[n++] = c < 0x80 ? (char)c : '?';
	}
	return -EINVAL;
}

int bootentry_describe(const uint8_t *opt, size_t len, char *label, size_t label_cap, char *path,
		       size_t path_cap)
{
	uint16_t fpl;
	if (len < 6)
		return -EINVAL;
	memcpy(&fpl, opt + 4, 2);
	long d = get_utf16(opt + 6, len - 6, label, label_cap);
	if (d < 0 || fpl > len - 6 - (size_t)d)
		return -EINVAL;
	const uint8_t *dp = opt + 6 + d;
	size_t left = fpl, n = 0;
	path[0] = 0;
	/* Each node is at least a header long: the walk ends within fpl / 4 steps. */
	while (left >= sizeof(struct dp_header)) {
		struct dp_header h;
		memcpy(&h, dp, sizeof(h));
		if (h.length < sizeof(h) || h.length > left)
			return -EINVAL;
		if (h.type == DP_TYPE_END)
			return 0;
		if (h.type == DP_TYPE_MEDIA && h.subtype == DP_MEDIA_HARDDRIVE &&
		    h.length >= sizeof(struct dp_harddrive)) {
			struct dp_harddrive hd;
			char g[37];
			memcpy(&hd, dp, sizeof(hd));
			guid_to_text(hd.signature, g);
			n += (size_t)snprintf(path + n, path_cap > n ? path_cap - n : 0,
					      "HD(%u,GPT,%s)/", hd.partition_number, g);
		} else if (h.type == DP_TYPE_MEDIA && h.subtype == DP_MEDIA_FILEPATH) {
			char f[256];
			if (get_utf16(dp + 4, h.length - 4u, f, sizeof(f)) < 0)
				return -EINVAL;
			n += (size_t)snprintf(path + n, path_cap > n ? path_cap - n : 0, "File(%s)", f);
		} else {
			n += (size_t)snprintf(path + n, path_cap > n ? path_cap - n : 0, "(%u,%u)/",
					      h.type, h.subtype);
		}
		if (n >= path_cap)
			n = path_cap ? path_cap - 1 : 0;
		dp += h.length;
		left -= h.length;
	}
	return -EINVAL;
}

static void boot_name(unsigned number, char *out)
{
	snprintf(out, 9, "Boot%04X", number & 0xffff);
}

int bootentry_find(struct efivars *ev, unsigned *number)
{
	for (unsigned i = 0; i < BOOTENTRY_SCAN; i++) {
		char name[9], label[64], path[512];
		uint8_t *data;
		size_t size;
		uint32_t attrs;
		boot_name(i, name);
		if (efivars_get(ev, name, EFI_GLOBAL_GUID, &data, &size, &attrs))
			continue;
		int rc = bootentry_describe(data, size, label, sizeof(label), path, sizeof(path));
		free(data);
		if (!rc && !strcmp(label, BOOTENTRY_LABEL)) {
			*number = i;
			return 0;
		}
	}
	return -ENOENT;
}

/* BootOrder with @number first and not repeated. */
static int boot_order_first(struct efivars *ev, unsigned number)
{
	uint8_t *old = NULL;
	size_t size = 0;
	uint32_t attrs;
	if (efivars_get(ev, "BootOrder", EFI_GLOBAL_GUID, &old, &size, &attrs))
		size = 0;
	size &= ~(size_t)1;
	uint16_t *order = malloc(size + 2);
	size_t n = 0;
	if (!order) {
		free(old);
		return -ENOMEM;
	}
	order[n++] = (uint16_t)number;
	for (size_t i = 0; i + 1 < size; i += 2) {
		uint16_t v = (uint16_t)(old[i] | old[i + 1] << 8);
		if (v != number)
			order[n++] = v;
	}
	free(old);
	int rc = efivars_set(ev, "BootOrder", EFI_GLOBAL_GUID, EFI_VAR_NV_BS_RT, order, 2 * n);
	free(order);
	return rc;
}

int bootentry_install(struct efivars *ev, const struct esp *esp, unsigned *number)
{
	uint8_t *opt;
	size_t len;
	char name[9];
	int rc = bootentry_build(esp, BOOTENTRY_LABEL, BOOTENTRY_PATH, &opt, &len);
	if (rc)
		return rc;
	if (bootentry_find(ev, number)) {
		rc = -ENOSPC;
		for (unsigned i = 0; i < BOOTENTRY_SCAN && rc; i++) {
			uint8_t *data;
			size_t size;
			uint32_t attrs;
			boot_name(i, name);
			if (efivars_get(ev, name, EFI_GLOBAL_GUID, &data, &size, &attrs) == 0) {
				free(data);
				continue;
			}
			*number = i;
			rc = 0;
		}
		if (rc) {
			free(opt);
			return rc;
		}
	}
	boot_name(*number, name);
	rc = efivars_set(ev, name, EFI_GLOBAL_GUID, EFI_VAR_NV_BS_RT, opt, len);
	free(opt);
	return rc ? rc : boot_order_first(ev, *number);
}
