/* SPDX-License-Identifier: MIT */
/* libFuzzer target: decompress() on any bytes, under a small max_out. */
#include "../../core/decompress.h"
#include "../../core/errno.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OUT (4u << 20)

static volatile uint8_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *out = NULL;
	size_t out_len = 0;
	int rc = decompress(data, size, MAX_OUT, &out, &out_len);
	if (rc == 0) {
		if (out_len > MAX_OUT)
			__builtin_trap();
		/* touch every byte: ASan checks the length is real */
		for (size_t i = 0; i < out_len; i++)
			sink ^= ((const uint8_t *)out)[i];
		free(out);
	} else if (rc != -ENOEXEC && rc != -EILSEQ && rc != -EFBIG && rc != -ENOMEM) {
		__builtin_trap();
	}
	return 0;
}
