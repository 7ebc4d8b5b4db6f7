/* SPDX-License-Identifier: MIT */
/* libFuzzer target: config_parse_extlinux() on any bytes, with includes served from the input. */
#include "fuzz_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct menu m;
	struct fuzz_files f;
	fuzz_split(&f, data, size);
	struct config_source src = { "fz:/boot/x/config", fuzz_read, fuzz_list, &f };
	menu_init(&m);
	if (config_parse_extlinux(&m, &src, f.text[0], f.len[0]) != 0)
		__builtin_trap(); /* only -ENOMEM may fail, and malloc does not here */
	fuzz_check_menu(&m);
	return 0;
}
