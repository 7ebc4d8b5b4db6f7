/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: BLS entries, loader.conf and the sort. Every file of
 * the input is parsed as an entry, the last one also as loader.conf.
 */
#include "fuzz_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct menu m;
	static const char *const ids[] = { "fedora-6.8.5", "a+0-3", "0-rescue", "x~rc1",
					   "6a98-3.8.0-2.fc19", "", "z^1", "b+2" };
	struct fuzz_files f;
	fuzz_split(&f, data, size);
	struct config_source src = { "fz:/loader/entries/x.conf", fuzz_read, fuzz_list, &f };
	menu_init(&m);
	for (unsigned i = 0; i < f.count; i++)
		if (config_parse_bls_entry(&m, &src, ids[i], f.text[i], f.len[i]))
			__builtin_trap();
	config_sort_bls(m.entries, m.count);
	/* Sorted means: no later entry sorts before an earlier one. */
	for (unsigned i = 1; i < m.count; i++) {
		struct menu_entry pair[2] = { m.entries[i], m.entries[i - 1] };
		config_sort_bls(pair, 2);
		if (pair[0].id != m.entries[i - 1].id && strcmp(pair[0].id, pair[1].id))
			__builtin_trap();
	}
	if (config_parse_loader_conf(&m, &src, f.text[f.count - 1], f.len[f.count - 1]))
		__builtin_trap();
	fuzz_check_menu(&m);
	return 0;
}
