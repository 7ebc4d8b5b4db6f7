/* SPDX-License-Identifier: MIT */
/* The file-read budget of one config parse (config/parser.h). */
#include "../core/errno.h"
#include "parser.h"

/* Count one operation; -EDQUOT (warned once) when the budget is gone. */
static int spend(struct source_budget *b, const char *what, const char *path)
{
	if (b->ops < CONFIG_MAX_FILE_OPS && b->bytes <= CONFIG_MAX_READ_BYTES) {
		b->ops++;
		return 0;
	}
	if (!b->warned)
		menu_warn(b->m, b->inner->name, 0, 0,
			  "more than %u file reads or %u MiB in one config; %s '%s' and the "
			  "rest are refused",
			  CONFIG_MAX_FILE_OPS, CONFIG_MAX_READ_BYTES >> 20, what, path);
	b->warned = true;
	return -EDQUOT;
}

static int budget_read(void *ctx, const char *path, char **text, size_t *len)
{
	struct source_budget *b = ctx;
	int rc = spend(b, "reading", path);
	if (rc)
		return rc;
	rc = b->inner->read(b->inner->ctx, path, text, len);
	if (!rc)
		b->bytes += *len;
	return rc;
}

static int budget_list(void *ctx, const char *dir, char ***names, unsigned *count)
{
	struct source_budget *b = ctx;
	int rc = spend(b, "listing", dir);
	return rc ? rc : b->inner->list(b->inner->ctx, dir, names, count);
}

void source_budget_init(struct source_budget *b, struct menu *m,
			const struct config_source *inner)
{
	memset(b, 0, sizeof(*b));
	b->inner = inner;
	b->m = m;
	b->src.name = inner->name;
	b->src.read = inner->read ? budget_read : NULL;
	b->src.list = inner->list ? budget_list : NULL;
	b->src.ctx = b;
}
