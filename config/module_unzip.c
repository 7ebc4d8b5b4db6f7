/* SPDX-License-Identifier: MIT */
/*
 * GRUB opens a multiboot module through its decompression filters unless
 * the command says --nounzip, so `module2 /boot/xen-policy.gz` hands the
 * kernel the inflated bytes while Debian's `module2 --nounzip initrd`
 * hands over the initrd exactly as stored (20_linux_xen). pvhboot does the
 * same for grub.cfg entries (issue 11).
 */
#include "../core/decompress.h"
#include "../core/errno.h"
#include "../core/log.h"
#include "module_unzip.h"

int module_unzip(const char *path, void **data, size_t *size)
{
	enum compression c = compression_detect(*data, *size);
	/* gzio and xzio are GRUB's filters for multiboot modules; zstd has none. */
	if (c != COMP_GZIP && c != COMP_XZ)
		return 0;
	void *out;
	size_t out_len;
	int rc = decompress(*data, *size, MODULE_MAX_INFLATED, &out, &out_len);
	if (rc)
		return log_err(rc, "%s: cannot inflate the %s module (GRUB would not either; "
			       "--nounzip passes it as stored)", path, compression_name(c));
	log_info("%s: %s module inflated, %zu -> %zu bytes", path, compression_name(c), *size,
		 out_len);
	free(*data);
	*data = out;
	*size = out_len;
	return 0;
}
