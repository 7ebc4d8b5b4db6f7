/* SPDX-License-Identifier: MIT */
/* libFuzzer target: config_parse_grub() on any bytes, with includes served from the input. */
#include "fuzz_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_whole_file(config_parse_grub, data, size);
}
