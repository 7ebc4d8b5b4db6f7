/* SPDX-License-Identifier: MIT */
/*
 * The menu model: entries, warnings, lookup by id/index/title/glob, and the
 * bookkeeping every parser shares (limits, includes).
 */
#include "../core/errno.h"
#include "../core/termsafe.h"
#include "parser.h"

void menu_init(struct menu *m)
{
	memset(m, 0, sizeof(*m));
	m->timeout = CONFIG_DEFAULT_TIMEOUT;
}

void menu_env_free(struct menu_env *env)
{
	for (unsigned i = 0; i < env->count; i++) {
		free(env->w[i].key);
		free(env->w[i].value);
	}
	free(env->path);
	memset(env, 0, sizeof(*env));
}

bool menu_env_set(struct menu *m, const char *path, const char *key, const char *value)
{
	struct menu_env *env = &m->env;
	if (!env->path) {
		env->path = str_dup(path);
		if (!env->path)
			return false;
	} else if (strcmp(env->path, path)) {
		menu_warn(m, path, 0, 0, "a second grubenv (the first was %s); not saved", env->path);
		return true;
	}
	unsigned i = 0;
	while (i < env->count && strcmp(env->w[i].key, key))
		i++;
	if (i == MENU_MAX_ENV_WRITES) {
		menu_warn(m, path, 0, 0, "more than %u variables saved; '%s' is not",
			  MENU_MAX_ENV_WRITES, key);
		return true;
	}
	char *k = str_dup(key), *v = value ? str_dup(value) : NULL;
	if (!k || (value && !v)) {
		free(k);
		free(v);
		return false;
	}
	if (i == env->count) {
		env->count++;
	} else {
		free(env->w[i].key);
		free(env->w[i].value);
	}
	env->w[i] = (struct env_write){ k, v };
	return true;
}

void menu_entry_clear(struct menu_entry *e)
{
	free(e->id);
	free(e->title);
	free(e->kernel);
	free(e->cmdline);
	for (unsigned i = 0; i < e->nr_initrds; i++)
		free(e->initrds[i]);
	for (unsigned i = 0; i < e->nr_modules; i++) {
		free(e->modules[i].path);
		free(e->modules[i].cmdline);
	}
	for (unsigned i = 0; i < e->nr_pins; i++)
		free(e->pins[i].path);
	free(e->sort_key);
	free(e->version);
	free(e->machine_id);
	free(e->source);
	free(e->save_default);
	free(e->bls_file);
	memset(e, 0, sizeof(*e));
}

void menu_free(struct menu *m)
{
	for (unsigned i = 0; i < m->count; i++)
		menu_entry_clear(&m->entries[i]);
	for (unsigned i = 0; i < m->nr_warnings; i++)
		free(m->warnings[i]);
	free(m->default_id);
	free(m->default_why);
	menu_env_free(&m->env);
	menu_init(m);
}

void menu_warn(struct menu *m, const char *source, unsigned line, unsigned col,
	       const char *fmt, ...)
{
	char msg[384], where[160];
	va_list ap;

	if (m->nr_warnings >= CONFIG_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* The last slot says that the list is cut, so a flood is not mistaken for all. */
	if (m->nr_warnings == CONFIG_MAX_WARNINGS - 1)
		fmt_snprintf(msg, sizeof(msg), "more than %u warnings; the rest are dropped",
			     CONFIG_MAX_WARNINGS - 1);
	if (line && col)
		fmt_snprintf(where, sizeof(where), "%s:%u:%u", source, line, col);
	else if (line)
		fmt_snprintf(where, sizeof(where), "%s:%u", source, line);
	else
		fmt_snprintf(where, sizeof(where), "%s", source);
	char *w = str_cat3(where, ": ", msg);
	if (w)
		m->warnings[m->nr_warnings++] = w;
}

struct menu_entry *menu_add(struct menu *m, const char *source, unsigned line)
{
	if (m->count >= MENU_MAX_ENTRIES) {
		menu_warn(m, source, line, 0, "more than %u menu entries; this one is dropped",
			  MENU_MAX_ENTRIES);
		return NULL;
	}
	struct menu_entry *e = &m->entries[m->count];
	memset(e, 0, sizeof(*e));
	e->tries_left = e->tries_done = -1; /* not counted (BLS boot counting) */
	char where[192];
	if (line)
		fmt_snprintf(where, sizeof(where), "%s:%u", source, line);
	else
		fmt_snprintf(where, sizeof(where), "%s", source);
	e->source = str_dup(where);
	if (!e->source)
		return NULL;
	m->count++;
	return e;
}

void menu_drop_last(struct menu *m)
{
	if (m->count)
		menu_entry_clear(&m->entries[--m->count]);
}

bool entry_add_initrd(struct menu *m, struct menu_entry *e, char *path, const char *src,
		      unsigned line, unsigned col)
{
	if (!path)
		return false;
	if (e->nr_initrds >= ENTRY_MAX_INITRDS) {
		menu_warn(m, src, line, col, "more than %u initrds; '%s' is dropped",
			  ENTRY_MAX_INITRDS, path);
		free(path);
		return true;
	}
	e->initrds[e->nr_initrds++] = path;
	return true;
}

bool entry_add_module(struct menu *m, struct menu_entry *e, char *path, char *args,
		      const char *src, unsigned line, unsigned col)
{
	if (!path || !args) {
		free(path);
		free(args);
		return false;
	}
	if (e->nr_modules >= ENTRY_MAX_MODULES) {
		menu_warn(m, src, line, col, "more than %u modules; '%s' is dropped",
			  ENTRY_MAX_MODULES, path);
		free(path);
		free(args);
		return true;
	}
	e->modules[e->nr_modules].path = path;
	e->modules[e->nr_modules].cmdline = args;
	e->nr_modules++;
	return true;
}

bool entry_append_cmdline(struct menu_entry *e, const char *words)
{
	if (!*words)
		return e->cmdline || (e->cmdline = str_dup(""));
	char *c = e->cmdline && *e->cmdline ? str_cat3(e->cmdline, " ", words) : str_dup(words);
	if (!c)
		return false;
	free(e->cmdline);
	e->cmdline = c;
	return true;
}

static bool fill(char **s)
{
	return *s || (*s = str_dup(""));
}

static void sanitize(char *s)
{
	if (s)
		term_sanitize(s);
}

void menu_sanitize(struct menu *m)
{
	for (unsigned i = 0; i < m->count; i++) {
		struct menu_entry *e = &m->entries[i];
		sanitize(e->title);
		sanitize(e->id);
		sanitize(e->cmdline);
		sanitize(e->source);
	}
	/* default_id is matched against the ids: it must change as they did. */
	sanitize(m->default_id);
	for (unsigned i = 0; i < m->nr_warnings; i++)
		sanitize(m->warnings[i]);
}

bool entry_fill_defaults(struct menu_entry *e)
{
	if (!e->title && e->id && !(e->title = str_dup(e->id)))
		return false;
	return fill(&e->cmdline) && fill(&e->sort_key) && fill(&e->version) &&
	       fill(&e->machine_id);
}

int include_enter(struct menu *m, const struct config_source *src, struct include_stack *st,
		  const char *path, const char *where, unsigned line, unsigned col, char **text,
		  size_t *len)
{
	if (!src->read) {
		menu_warn(m, where, line, col, "cannot read '%s' here: no file access", path);
		return -ENOSYS;
	}
	for (unsigned i = 0; i <= st->depth; i++) {
		const char *open = i < st->depth ? st->paths[i] : st->top;
		if (open && !strcmp(open, path)) {
			menu_warn(m, where, line, col, "'%s' includes itself; ignored", path);
			return -ELOOP;
		}
	}
	if (st->depth >= CONFIG_MAX_INCLUDE_DEPTH) {
		menu_warn(m, where, line, col, "'%s': includes nest deeper than %u; ignored", path,
			  CONFIG_MAX_INCLUDE_DEPTH);
		return -ELOOP;
	}
	if (st->total >= CONFIG_MAX_INCLUDES) {
		menu_warn(m, where, line, col, "'%s': more than %u includes; ignored", path,
			  CONFIG_MAX_INCLUDES);
		return -E2BIG;
	}
	st->total++;
	int rc = src->read(src->ctx, path, text, len);
	if (rc) {
		menu_warn(m, where, line, col, "cannot read '%s' (%s)", path, strerror_name(rc));
		return rc;
	}
	st->paths[st->depth++] = path;
	return 0;
}

void include_leave(struct include_stack *st)
{
	if (st->depth)
		st->depth--;
}

static bool is_index(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!ch_digit(*s))
			return false;
	return true;
}

static bool has_glob(const char *s)
{
	return strchr(s, '*') || strchr(s, '?') || strchr(s, '[');
}

/* True when @s ends with ">" + @what: a submenu entry named by its own part. */
static bool tail_matches(const char *s, const char *what)
{
	size_t n = strlen(s), k = strlen(what);
	return n > k && s[n - k - 1] == '>' && !strcmp(s + n - k, what);
}

static int find_once(const struct menu *m, const char *what)
{
	for (unsigned i = 0; i < m->count; i++)
		if (m->entries[i].id && !strcmp(m->entries[i].id, what))
			return (int)i;
	if (is_index(what)) {
		uint64_t v;
		if (parse_u64(what, strlen(what), &v) && v < m->count)
			return (int)v;
	}
	for (unsigned i = 0; i < m->count; i++)
		if (m->entries[i].title && !strcmp(m->entries[i].title, what))
			return (int)i;
	/* BLS defaults are globs; the first match in menu order is the newest. */
	if (has_glob(what))
		for (unsigned i = 0; i < m->count; i++)
			if (m->entries[i].id && glob_match(what, m->entries[i].id))
				return (int)i;
	for (unsigned i = 0; i < m->count; i++)
		if ((m->entries[i].id && tail_matches(m->entries[i].id, what)) ||
		    (m->entries[i].title && tail_matches(m->entries[i].title, what)))
			return (int)i;
	return -1;
}

int menu_find(const struct menu *m, const char *what)
{
	if (!what || !*what)
		return -1;
	int i = find_once(m, what);
	/* systemd-boot names entries with their ".conf"; ids here have none. */
	if (i < 0 && str_ends_with(what, ".conf") && strlen(what) > 5) {
		char *bare = str_ndup(what, strlen(what) - 5);
		if (bare)
			i = find_once(m, bare);
		free(bare);
	}
	return i;
}
