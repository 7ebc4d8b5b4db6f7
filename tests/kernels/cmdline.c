/* SPDX-License-Identifier: MIT */
/*
 * The probes' command-line conventions: a module says which CRC-32 its
 * bytes must have with "crc32=XXXXXXXX"; the Linux probe's kernel command
 * line names its initrd with "initrd_crc32=XXXXXXXX initrd_size=N". Other
 * words are allowed anywhere.
 */
#include "probe.h"

int cmdline_value(const char *s, size_t len, const char *key, const char **val, size_t *vlen)
{
	size_t klen = 0;

	while (key[klen])
		klen++;
	for (size_t i = 0; i < len;) {
		size_t end = i;
		while (end < len && s[end] != ' ')
			end++;
		/* A word "key=..." (whole key: "initrd_crc32=" is not "crc32="). */
		if (end - i > klen && memcmp(s + i, key, klen) == 0 && s[i + klen] == '=') {
			*val = s + i + klen + 1;
			*vlen = end - (i + klen + 1);
			return 0;
		}
		i = end + 1;
	}
	return -ENOENT;
}

int parse_hex32(const char *s, size_t len, uint32_t *out)
{
	uint32_t v = 0;

	if (len != 8)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

int parse_dec64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}
