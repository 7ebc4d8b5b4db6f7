/* SPDX-License-Identifier: MIT */
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../core/words.h"
#include "options.h"

/* One word (core/words.h) with its quotes removed; *out NULL at the end. */
static const char *next_word(const char *p, char **out)
{
	size_t pos = 0, len;
	const char *w;
	*out = NULL;
	if (!words_next(p, &pos, &w, &len))
		return p + pos;
	*out = malloc(len + 1);
	if (!*out)
		return NULL;
	words_unquote(w, len, *out);
	return p + pos;
}

static bool take(const char *word, const char *key, char **dst)
{
	size_t n = strlen(key);
	if (strncmp(word, key, n))
		return false;
	free(*dst);
	*dst = str_dup(word + n);
	return true;
}

int options_parse(const char *cmdline, struct loader_options *o)
{
	memset(o, 0, sizeof(*o));
	const char *p = cmdline;
	for (;;) {
		/* " -- ": the rest, verbatim, is the kernel's. */
		const char *q = p;
		while (*q == ' ' || *q == '\t')
			q++;
		if (q[0] == '-' && q[1] == '-' && (q[2] == ' ' || q[2] == 0)) {
			o->kernel_cmdline = str_dup(q[2] ? q + 3 : "");
			return o->kernel_cmdline ? 0 : -ENOMEM;
		}
		char *w;
		p = next_word(p, &w);
		if (!p)
			return -ENOMEM;
		if (!w)
			return 0;
		if (!strncmp(w, "timeout=", 8)) {
			uint64_t v;
			const char *num = w + 8;
			bool neg = *num == '-';
			if (parse_u64(num + neg, strlen(num + neg), &v) && v <= 100000) {
				o->has_timeout = true;
				o->timeout = neg ? -1 : (int)v;
			}
		} else if (!strcmp(w, "writes=off")) {
			o->writes_off = true;
		} else if (!strcmp(w, "quiet")) {
			log_quiet = true;
		} else if (!strcmp(w, "verbose")) {
			o->verbose = true;
		} else if (!strcmp(w, "loglevel=debug")) {
			o->verbose = true;
			log_debug_enabled = true;
		} else {
			(void)(take(w, "entry=", &o->entry) || take(w, "config=", &o->config) ||
			       take(w, "append=", &o->append) || take(w, "protocol=", &o->protocol));
		}
		free(w);
	}
}

void options_free(struct loader_options *o)
{
	free(o->entry);
	free(o->config);
	free(o->append);
	free(o->kernel_cmdline);
	free(o->protocol);
	memset(o, 0, sizeof(*o));
}
