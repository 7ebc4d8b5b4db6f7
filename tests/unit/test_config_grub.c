/* SPDX-License-Identifier: MIT */
#include "config_corpus.h"

TEST(dump)
{
	const char *which = getenv("DUMP");
	if (!which)
		return;
	struct corpus c;
	char dir[64], path[128], name[200];
	sscanf(which, "%63[^:]:%127s", dir, path);
	corpus_open(&c, dir);
	c.device = getenv("DEV");
	size_t len;
	char *text = corpus_text(&c, path, &len);
	snprintf(name, sizeof(name), "corpus:%s", path);
	struct config_source src = corpus_source(&c, name);
	struct menu m;
	menu_init(&m);
	int rc = config_parse_grub(&m, &src, text, len);
	printf("rc %d\n", rc);
	print_menu(&m);
	menu_free(&m);
	free(text);
}

int main(void)
{
	RUN(dump);
	return test_summary();
}
