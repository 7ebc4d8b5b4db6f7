/* SPDX-License-Identifier: MIT */
/*
 * grub.cfg control flow: command lists, if/elif/else/fi, { blocks },
 * menuentry and submenu (flattened: "Submenu>Entry"), function definitions
 * (skipped), loops (skipped), and the default entry at the end.
 *
 * Conditions are evaluated with what is known before boot: variables set
 * so far (GRUB's environment block included, through load_env), the
 * feature_* variables a current GRUB sets, and file tests through the
 * config source. That takes the branches a real GRUB takes for the
 * grub.cfg files Debian, Ubuntu and Fedora generate.
 */
#include "../core/errno.h"
#include "grub.h"

/* The features a GRUB 2.06+ announces (grub-core/normal/main.c). */
static const char *const features[] = {
	"feature_chainloader_bpb", "feature_ntldr",         "feature_platform_search_hint",
	"feature_default_font_path", "feature_all_video_module", "feature_menuentry_id",
	"feature_menuentry_options", "feature_200_final",     "feature_nativedisk_cmd",
	"feature_timeout_style",
};

static const char *run_list(struct grub *g, bool run, const char *const *stop);

/*
 * One command's words, raw and expanded: 5 KiB, on the heap because
 * commands nest (blocks, source) and the loader's stack is 64 KiB.
 */
struct command {
	struct grub_word words[GRUB_MAX_ARGS];
	unsigned n;
	struct grub_args a;
};

static struct command *command_new(struct grub *g)
{
	struct command *c = malloc(sizeof(*c));
	if (c) {
		c->n = 0;
		c->a.count = 0;
	}
	g->oom |= !c;
	return c;
}

static void command_free(struct command *c)
{
	if (c)
		grub_args_free(&c->a);
	free(c);
}

/* The words of one command, @first already read; stops before a '}'. */
static unsigned command_words(struct grub *g, const struct grub_word *first,
			      struct grub_word *words)
{
	unsigned n = 0;
	struct grub_word w = *first;
	enum grub_token t = GT_WORD;
	bool warned = false;
	while (t == GT_WORD) {
		if (n < GRUB_MAX_ARGS) {
			words[n++] = w;
		} else if (!warned) {
			GRUB_WARN(g, &w, "more than %u words; the rest are ignored", GRUB_MAX_ARGS);
			warned = true;
		}
		t = grub_next(g, &w);
	}
	if (t == GT_CLOSE)
		grub_push_back(g->lx, t, &w);
	return n;
}

/* Expand @n words; false (warned) when the result is too large. */
static bool expand_all(struct grub *g, const struct grub_word *words, unsigned n,
		       struct grub_args *a)
{
	size_t budget = GRUB_MAX_EXPANSION;
	a->count = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!grub_expand(g, &words[i], a, &budget)) {
			if (!g->oom)
				GRUB_WARN(g, &words[0], "command longer than %u bytes or %u words; ignored",
					  GRUB_MAX_EXPANSION, GRUB_MAX_ARGS);
			grub_args_free(a);
			return false;
		}
	}
	return true;
}

static void simple_command(struct grub *g, bool run, const struct grub_word *first)
{
	struct command *c = command_new(g);
	if (!c)
		return;
	c->n = command_words(g, first, c->words);
	if (run && expand_all(g, c->words, c->n, &c->a)) {
		/* An unquoted "$empty" alone expands to nothing: an empty command. */
		if (c->a.count)
			g->status = grub_command(g, first, &c->a);
	} else if (run) {
		g->status = 1;
	}
	command_free(c);
}

/* Run @body's list up to a closing '}' (consumed); warns when the file ends first. */
static void block_body(struct grub *g, bool run, const struct grub_word *open, const char *what)
{
	struct grub_word w;
	if (run_list(g, run, NULL) && grub_next(g, &w) == GT_CLOSE)
		return;
	if (!g->abort)
		GRUB_WARN(g, open, "%s: no closing '}'", what);
}

/* if LIST; then LIST; [elif LIST; then LIST;]... [else LIST;] fi */
static void if_command(struct grub *g, bool run, const struct grub_word *at)
{
	static const char *const then[] = { "then", NULL };
	static const char *const branch_end[] = { "elif", "else", "fi", NULL };
	static const char *const fi[] = { "fi", NULL };
	bool taken = false;
	for (;;) {
		bool test = run && !taken;
		const char *t = run_list(g, test, then);
		if (!t || strcmp(t, "then")) {
			if (!g->abort)
				GRUB_WARN(g, at, "'if' without 'then'");
			return;
		}
		bool yes = test && g->status == 0;
		t = run_list(g, yes, branch_end);
		taken |= yes;
		if (t && !strcmp(t, "elif"))
			continue;
		if (t && !strcmp(t, "else"))
			t = run_list(g, run && !taken, fi);
		if (!t || strcmp(t, "fi")) {
			if (!g->abort)
				GRUB_WARN(g, at, "'if' without 'fi'");
			return;
		}
		g->status = 0;
		return;
	}
}

/* for/while/until: the body's effect depends on iteration; it is skipped. */
static void loop_command(struct grub *g, const struct grub_word *at)
{
	static const char *const doo[] = { "do", NULL };
	static const char *const done[] = { "done", NULL };
	if (!g->warned_loops)
		GRUB_WARN(g, at, "loops are not evaluated; skipped");
	g->warned_loops = true;
	const char *t = run_list(g, false, doo);
	if (t && !strcmp(t, "do"))
		t = run_list(g, false, done);
	if ((!t || strcmp(t, "done")) && !g->abort)
		GRUB_WARN(g, at, "loop without 'done'");
}

/*
 * Read a header's words up to a plain "{" (which may follow on a later
 * line); false, warned, when another command comes first.
 */
static bool header(struct grub *g, const struct grub_word *first, struct command *c,
		   struct grub_word *open)
{
	struct grub_word w = *first;
	enum grub_token t = GT_WORD;
	bool line_ended = false;
	c->n = 0;
	for (;;) {
		if (t == GT_WORD && grub_word_is(g->lx, &w, "{")) {
			*open = w;
			return true;
		}
		if (t == GT_WORD && !line_ended && c->n < GRUB_MAX_ARGS) {
			c->words[c->n++] = w;
		} else if (t == GT_SEP && c->n > 1) {
			line_ended = true; /* "menuentry 'x'" newline "{" */
		} else {
			if (t != GT_EOF && t != GT_SEP)
				grub_push_back(g->lx, t, &w);
			GRUB_WARN(g, first, "no '{' after '%.*s'", (int)(first->end - first->start),
				  g->lx->text + first->start);
			return false;
		}
		t = grub_next(g, &w);
	}
}

/* function NAME { ... }: remembered so that calls are quiet; the body is not run. */
static void function_command(struct grub *g, bool run, const struct grub_word *at)
{
	struct grub_word open;
	struct command *c = command_new(g);
	if (!c || !header(g, at, c, &open)) {
		command_free(c);
		return;
	}
	block_body(g, false, &open, "function");
	if (run && c->n >= 2 && expand_all(g, c->words + 1, 1, &c->a) && c->a.count &&
	    g->nr_functions < GRUB_MAX_FUNCTIONS) {
		g->functions[g->nr_functions++] = c->a.v[0];
		c->a.v[0] = str_dup("");
		g->oom |= !c->a.v[0];
	}
	command_free(c);
}

bool grub_note_entry(struct grub *g, unsigned index)
{
	char num[16];
	unsigned i = index - g->base;
	fmt_snprintf(num, sizeof(num), "%u", g->level_count++);
	free(g->index_path[i]);
	g->index_path[i] = str_cat3(g->index_prefix, num, "");
	return g->index_path[i] != NULL;
}

/* menuentry TITLE [--class C] [--id ID] [--users U] [--hotkey K] [--unrestricted] */
static bool entry_options(struct grub *g, const struct grub_word *at, struct grub_args *a,
			  const char **title, const char **id)
{
	*title = *id = NULL;
	for (unsigned i = 1; i < a->count; i++) {
		const char *s = a->v[i];
		if (!strcmp(s, "--id") && i + 1 < a->count)
			*id = a->v[++i];
		else if (!strncmp(s, "--id=", 5))
			*id = s + 5;
		else if ((!strcmp(s, "--class") || !strcmp(s, "--users") ||
			  !strcmp(s, "--hotkey")) && i + 1 < a->count)
			i++;
		else if (s[0] == '-' && s[1] == '-')
			continue; /* --unrestricted, and others only a screen needs */
		else if (!*title)
			*title = s;
	}
	if (!*title) {
		GRUB_WARN(g, at, "%s without a title", a->v[0]);
		return false;
	}
	return true;
}

/* Swap in a copy of the variables: a body's assignments stay in the body. */
static bool scope_enter(struct grub *g, struct grub_vars *saved)
{
	*saved = g->vars;
	if (grub_vars_copy(saved, &g->vars))
		return true;
	g->vars = *saved;
	g->oom = true;
	return false;
}

static void scope_leave(struct grub *g, struct grub_vars *saved)
{
	grub_vars_free(&g->vars);
	g->vars = *saved;
}

static void entry_body(struct grub *g, const struct grub_word *at, const struct grub_word *open,
		       const char *title, const char *id)
{
	struct grub_vars saved;
	struct menu_entry *e = menu_add(g->m, g->lx->name, at->line);
	if (!e || !scope_enter(g, &saved)) {
		g->oom |= g->m->count < MENU_MAX_ENTRIES;
		if (e)
			menu_drop_last(g->m);
		block_body(g, false, open, "menuentry");
		return;
	}
	e->title = str_cat3(g->title_prefix, title, "");
	e->id = str_cat3(g->id_prefix, id ? id : title, "");
	g->oom |= !e->title || !e->id || !grub_note_entry(g, g->m->count - 1);
	/* GRUB sets $chosen to the entry's id path as it runs the body (savedefault). */
	g->oom |= e->id && !grub_var_set(g, "chosen", e->id);
	g->e = e;
	g->unsupported = NULL;
	block_body(g, true, open, "menuentry");
	g->e = NULL;
	scope_leave(g, &saved);
	if (!e->kernel) {
		if (g->unsupported)
			GRUB_WARN(g, at, "menuentry '%s' uses %s, which pvhboot cannot do; skipped",
				  e->title, g->unsupported);
		else
			GRUB_WARN(g, at, "menuentry '%s' loads no kernel; skipped", e->title);
		menu_drop_last(g->m);
		return;
	}
	g->oom |= !entry_fill_defaults(e);
}

/* submenu: its entries join the menu as "TITLE>Entry" with ids "ID>entry-id". */
static void submenu_body(struct grub *g, const struct grub_word *open, const char *title,
			 const char *id)
{
	struct grub_vars saved;
	char num[16];
	char *tp = g->title_prefix, *ip = g->id_prefix, *xp = g->index_prefix;
	unsigned count = g->level_count;
	fmt_snprintf(num, sizeof(num), "%u", g->level_count);
	g->title_prefix = str_cat3(tp, title, ">");
	g->id_prefix = str_cat3(ip, id ? id : title, ">");
	g->index_prefix = str_cat3(xp, num, ">");
	g->level_count = 0;
	bool ok = g->title_prefix && g->id_prefix && g->index_prefix && scope_enter(g, &saved);
	g->oom |= !ok;
	block_body(g, ok, open, "submenu");
	if (ok)
		scope_leave(g, &saved);
	free(g->title_prefix);
	free(g->id_prefix);
	free(g->index_prefix);
	g->title_prefix = tp;
	g->id_prefix = ip;
	g->index_prefix = xp;
	g->level_count = count + 1;
}

static void menu_command(struct grub *g, bool run, const struct grub_word *at, bool sub)
{
	struct grub_word open;
	const char *title, *id;
	const char *what = sub ? "submenu" : "menuentry";
	struct command *c = command_new(g);
	if (!c || !header(g, at, c, &open)) {
		command_free(c);
		return;
	}
	if (run && g->e) {
		GRUB_WARN(g, at, "%s inside a menuentry; skipped", what);
		run = false;
	}
	if (!run || !expand_all(g, c->words, c->n, &c->a) ||
	    !entry_options(g, at, &c->a, &title, &id))
		block_body(g, false, &open, what);
	else if (sub)
		submenu_body(g, &open, title, id);
	else
		entry_body(g, at, &open, title, id);
	command_free(c);
	g->status = 0;
}

static bool in_list(const struct grub_lexer *lx, const struct grub_word *w,
		    const char *const *list, const char **which)
{
	for (; list && *list; list++)
		if (grub_word_is(lx, w, *list)) {
			*which = *list;
			return true;
		}
	return false;
}

/*
 * Run commands until a word of @stop starts one (returned), a '}' (returned
 * as "}", not consumed) or the end of the file (NULL). With @run false the
 * commands are only parsed.
 */
static const char *run_list(struct grub *g, bool run, const char *const *stop)
{
	static const char *const stray[] = { "then", "elif", "else", "fi", "do", "done", NULL };
	const char *which = NULL;
	struct grub_word w;
	if (++g->depth > GRUB_MAX_DEPTH && !g->abort) {
		menu_warn(g->m, g->lx->name, g->lx->line, 0,
			  "blocks nest deeper than %u; the rest of the file is ignored",
			  GRUB_MAX_DEPTH);
		g->abort = true;
	}
	while (!g->abort && !g->oom) {
		enum grub_token t = grub_next(g, &w);
		if (t == GT_SEP)
			continue;
		if (t == GT_EOF)
			break;
		if (t == GT_CLOSE) {
			grub_push_back(g->lx, t, &w);
			which = "}";
			break;
		}
		if (in_list(g->lx, &w, stop, &which))
			break;
		if (grub_word_is(g->lx, &w, "if")) {
			if_command(g, run, &w);
		} else if (grub_word_is(g->lx, &w, "for") || grub_word_is(g->lx, &w, "while") ||
			   grub_word_is(g->lx, &w, "until")) {
			loop_command(g, &w);
		} else if (grub_word_is(g->lx, &w, "function")) {
			function_command(g, run, &w);
		} else if (grub_word_is(g->lx, &w, "menuentry") ||
			   grub_word_is(g->lx, &w, "submenu")) {
			menu_command(g, run, &w, g->lx->text[w.start] == 's');
		} else if (grub_word_is(g->lx, &w, "{")) {
			block_body(g, run, &w, "block");
		} else if (in_list(g->lx, &w, stray, &which)) {
			GRUB_WARN(g, &w, "unexpected '%s'; ignored", which);
			which = NULL;
			simple_command(g, false, &w);
		} else {
			simple_command(g, run, &w);
		}
	}
	g->depth--;
	return g->abort || g->oom ? NULL : which;
}

void grub_run_lexer(struct grub *g, struct grub_lexer *lx)
{
	struct grub_lexer *outer = g->lx;
	struct grub_word w;
	g->lx = lx;
	/* A file's top level: a stray '}' is reported and skipped. */
	while (run_list(g, true, NULL)) {
		grub_next(g, &w);
		GRUB_WARN(g, &w, "'}' without a matching '{'; ignored");
	}
	g->lx = outer;
}

void grub_run_file(struct grub *g, const char *path, const struct grub_word *at)
{
	char *text, *name;
	size_t len;
	struct grub_lexer lx;
	if (include_enter(g->m, g->src, &g->inc, path, g->lx->name, at->line, at->col, &text,
			  &len))
		return;
	name = source_child(g->lx->name, path);
	if (name) {
		grub_lexer_init(&lx, name, text, len);
		grub_run_lexer(g, &lx);
	}
	g->oom |= !name;
	free(name);
	free(text);
	include_leave(&g->inc);
}

/*
 * GRUB's default: an index ("2"), an index path into submenus ("1>0"), an
 * id or a title (paths of them: "id>id"). Resolved here to the entry's id,
 * since the flattened menu numbers entries differently.
 */
static void set_default(struct grub *g)
{
	const char *d = grub_var(g, "default");
	struct menu *m = g->m;
	if (!d || !*d)
		return;
	size_t n = strlen(d);
	int hit = -1;
	for (unsigned i = g->base; i < m->count && hit < 0; i++) {
		const char *x = g->index_path[i - g->base];
		/* A submenu's own index or id selects its first entry. */
		if ((x && (!strcmp(x, d) || (!strncmp(x, d, n) && x[n] == '>'))) ||
		    !strcmp(m->entries[i].id, d) || !strcmp(m->entries[i].title, d) ||
		    (!strncmp(m->entries[i].id, d, n) && m->entries[i].id[n] == '>'))
			hit = (int)i;
	}
	char *id = str_dup(hit >= 0 ? m->entries[hit].id : d);
	if (!id) {
		g->oom = true;
		return;
	}
	if (hit < 0 && menu_find(m, d) < 0)
		menu_warn(m, g->src->name, 0, 0, "default entry '%s' is not in the menu", d);
	free(m->default_id);
	m->default_id = id;
	/* Why, for `pvhboot menu`: the grubenv values load_env read. */
	const char *why = g->env_next && !strcmp(d, g->env_next) ? "next_entry (one-shot)"
			  : g->env_saved && !strcmp(d, g->env_saved) ? "saved_entry"
			  : "grub.cfg's default";
	free(m->default_why);
	m->default_why = str_dup(why);
	g->oom |= !m->default_why;
}

/* GRUB waits for a key when no timeout is set; timeout=-1 says the same. */
static void set_timeout(struct grub *g)
{
	const char *t = grub_var(g, "timeout");
	long v;
	if (!t || !*t)
		g->m->timeout = -1;
	else if (parse_int(t, strlen(t), 100000, &v) && v >= -1)
		g->m->timeout = (int)v;
	else
		menu_warn(g->m, g->src->name, 0, 0, "timeout '%s' is not a number of seconds", t);
}

static bool predefine(struct grub *g)
{
	char *dir = source_dir(g->src->name);
	bool ok = !source_path(g->src->name) || dir;
	for (unsigned i = 0; i < ARRAY_SIZE(features) && ok; i++)
		ok = grub_var_set(g, features[i], "y");
	/* $prefix and $config_directory: where this grub.cfg lives. */
	if (ok && dir)
		ok = grub_var_set(g, "prefix", dir) && grub_var_set(g, "config_directory", dir) &&
		     grub_var_set(g, "config_file", source_path(g->src->name));
	ok = ok && grub_var_set(g, "grub_cpu", "x86_64");
	/*
	 * $grub_platform as GRUB sets it where it runs as this loader does:
	 * scripts test it (20_linux_xen adds "no-real-mode edd=off" to Xen's
	 * command line off the "pc" platform, where there is no BIOS to call).
	 * The host tools leave it unset, as GRUB's own grub-script-check does.
	 */
#if defined(PVHBOOT_EFI)
	ok = ok && grub_var_set(g, "grub_platform", "efi");
#elif defined(PVHBOOT_PVH)
	ok = ok && grub_var_set(g, "grub_platform", "xen_pvh");
#endif
	free(dir);
	return ok;
}

int config_parse_grub(struct menu *m, const struct config_source *src, const char *text,
		      size_t len)
{
	struct source_budget budget;
	source_budget_init(&budget, m, src);
	struct grub g = { .m = m, .src = &budget.src, .base = m->count };
	struct grub_lexer lx;
	int rc = 0;

	g.inc.top = source_path(src->name);
	grub_lexer_init(&lx, src->name, text, len);
	g.lx = &lx;
	g.title_prefix = str_dup("");
	g.id_prefix = str_dup("");
	g.index_prefix = str_dup("");
	if (!g.title_prefix || !g.id_prefix || !g.index_prefix || !predefine(&g))
		g.oom = true;
	if (!g.oom)
		grub_run_lexer(&g, &lx);
	if (!g.oom) {
		set_default(&g);
		set_timeout(&g);
		/* pvhboot's own switch in a grub.cfg GRUB also reads: set pvhboot_writes=off. */
		const char *w = grub_var(&g, "pvhboot_writes");
		m->writes_off |= w && !strcmp(w, "off");
	}
	if (g.oom)
		rc = -ENOMEM;
	for (unsigned i = 0; i < MENU_MAX_ENTRIES; i++)
		free(g.index_path[i]);
	for (unsigned i = 0; i < g.nr_functions; i++)
		free(g.functions[i]);
	grub_vars_free(&g.vars);
	free(g.env_next);
	free(g.env_saved);
	free(g.title_prefix);
	free(g.id_prefix);
	free(g.index_prefix);
	return rc;
}
