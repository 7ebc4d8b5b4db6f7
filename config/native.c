/* SPDX-License-Identifier: MIT */
/*
 * pvhboot.cfg, the native format (grammar and examples: docs/config.md).
 *
 * One statement per line: a keyword and its words. Words are separated by
 * blanks; a word that starts with '"' or '\'' is quoted up to the matching
 * quote ("..." knows \" and \\), '#' at the start of a word comments out the
 * rest of the line, and a '\' at the end of a line continues the statement
 * on the next one. Every problem is a warning naming file:line:column, and
 * parsing goes on with the next line.
 */
#include "../core/errno.h"
#include "parser.h"

#define MAX_WORDS 64

struct word {
	char *text;
	unsigned line, col;
};

struct native {
	struct menu *m;
	const struct config_source *src;
	struct include_stack *inc;
	const char *name;        /* this file, for warnings */
	const char *text;
	size_t len, pos, line_start;
	unsigned line;
	unsigned base;           /* first entry of this config (duplicate ids) */
	struct menu_entry *e;    /* the entry statements apply to, or NULL */
	bool oom;
};

#define WARN(p, w, ...) menu_warn((p)->m, (p)->name, (w)->line, (w)->col, __VA_ARGS__)

static int peek(const struct native *p, size_t off)
{
	return p->pos + off < p->len ? (unsigned char)p->text[p->pos + off] : -1;
}

static void newline(struct native *p)
{
	p->pos++;
	p->line++;
	p->line_start = p->pos;
}

/* A '\' ending the line: the statement goes on on the next line. */
static bool continuation(const struct native *p)
{
	return peek(p, 0) == '\\' &&
	       (peek(p, 1) == '\n' || (peek(p, 1) == '\r' && peek(p, 2) == '\n'));
}

/* Skip blanks, continuations and comments; false at the end of the statement. */
static bool skip_blanks(struct native *p)
{
	for (;;) {
		int c = peek(p, 0);
		if (c >= 0 && c != '\n' && ch_blank(c)) {
			p->pos++;
		} else if (continuation(p)) {
			p->pos += peek(p, 1) == '\r';
			p->pos++;
			newline(p);
		} else if (c == '#') {
			while (peek(p, 0) >= 0 && peek(p, 0) != '\n')
				p->pos++;
		} else {
			return c >= 0 && c != '\n';
		}
	}
}

/* A quoted part starting at the quote; false (warned) when the line ends first. */
static bool quoted(struct native *p, struct strbuf *b, const struct word *w)
{
	char q = (char)peek(p, 0);
	p->pos++;
	for (;;) {
		int c = peek(p, 0);
		if (c < 0 || c == '\n') {
			WARN(p, w, "unterminated %s quote", q == '"' ? "double" : "single");
			return false;
		}
		p->pos++;
		if (c == q)
			return true;
		if (q == '"' && c == '\\' && (peek(p, 0) == '"' || peek(p, 0) == '\\')) {
			c = peek(p, 0);
			p->pos++;
		}
		sb_putc(b, (char)c);
	}
}

/*
 * The words of the next statement. Returns the count (0 for a blank line),
 * or -1 at the end of the text; a malformed statement is warned about and
 * returned as 0 words.
 */
static int statement(struct native *p, struct word *words)
{
	int n = 0;
	bool bad = false;
	if (p->pos >= p->len)
		return -1;
	while (skip_blanks(p)) {
		struct word w = { NULL, p->line, (unsigned)(p->pos - p->line_start) + 1 };
		struct strbuf b = { 0 };
		/* Quotes are special only where a word starts: "a=\"b c\"" stays as written. */
		int q = peek(p, 0);
		if (q == '"' || q == '\'')
			bad |= !quoted(p, &b, &w);
		for (int c; (c = peek(p, 0)) >= 0 && c != '\n' && !ch_blank(c);) {
			if (continuation(p))
				break;
			sb_putc(&b, (char)c);
			p->pos++;
		}
		w.text = sb_take(&b);
		if (!w.text) {
			p->oom = true;
			bad = true;
		}
		if (bad || n == MAX_WORDS) {
			if (!bad)
				WARN(p, &w, "more than %u words in one statement", MAX_WORDS);
			bad = true;
			free(w.text);
			continue;
		}
		words[n++] = w;
	}
	if (peek(p, 0) == '\n')
		newline(p);
	if (bad) {
		for (int i = 0; i < n; i++)
			free(words[i].text);
		return 0;
	}
	return n;
}

static bool path_ok(struct native *p, const struct word *w)
{
	const char *s = w->text;
	const char *close = s[0] == '(' ? strchr(s, ')') : NULL;
	if (close && close > s + 1)
		s = close + 1;
	else if (close)
		s = "";
	/* "@/PATH": from a btrfs volume's top-level subvolume (fs/fs.h path_root). */
	if (s[0] == '/' || (s[0] == '@' && s[1] == '/'))
		return true;
	WARN(p, w, "'%s' is not a path: write /PATH or (DEVICE)/PATH", w->text);
	return false;
}

static char *take(struct word *w)
{
	char *s = w->text;
	w->text = NULL;
	return s;
}

/* @words joined with single spaces (cmdline and module arguments). */
static char *join(struct native *p, struct word *words, int n)
{
	struct strbuf b = { 0 };
	sb_puts(&b, "");
	for (int i = 0; i < n; i++) {
		if (i)
			sb_putc(&b, ' ');
		sb_puts(&b, words[i].text);
	}
	char *s = sb_take(&b);
	p->oom |= !s;
	return s;
}

static bool pin_used(const struct menu_entry *e, const char *path)
{
	if (e->kernel && !strcmp(e->kernel, path))
		return true;
	for (unsigned i = 0; i < e->nr_initrds; i++)
		if (!strcmp(e->initrds[i], path))
			return true;
	for (unsigned i = 0; i < e->nr_modules; i++)
		if (!strcmp(e->modules[i].path, path))
			return true;
	return false;
}

/* The current entry is complete: check it, drop it if it cannot boot. */
static void end_entry(struct native *p)
{
	struct menu_entry *e = p->e;
	if (!e)
		return;
	p->e = NULL;
	if (!e->kernel) {
		menu_warn(p->m, e->source, 0, 0, "entry '%s' names no kernel; skipped", e->id);
		menu_drop_last(p->m);
		return;
	}
	for (unsigned i = 0; i < e->nr_pins; i++)
		if (!pin_used(e, e->pins[i].path))
			menu_warn(p->m, e->source, 0, 0,
				  "entry '%s': sha256 pin for '%s', which it does not load", e->id,
				  e->pins[i].path);
	p->oom |= !entry_fill_defaults(e);
}

static void begin_entry(struct native *p, struct word *w, int n)
{
	end_entry(p);
	if (n < 2 || n > 3) {
		WARN(p, &w[0], "expected: entry ID [TITLE]");
		return;
	}
	for (unsigned i = p->base; i < p->m->count; i++)
		if (!strcmp(p->m->entries[i].id, w[1].text))
			WARN(p, &w[1], "entry id '%s' is used twice; the first one wins", w[1].text);
	p->e = menu_add(p->m, p->name, w[0].line);
	if (!p->e) {
		p->oom |= p->m->count < MENU_MAX_ENTRIES;
		return;
	}
	p->e->id = take(&w[1]);
	if (n == 3)
		p->e->title = take(&w[2]);
}

static bool hex_digest(const char *s, uint8_t out[32])
{
	if (strlen(s) != 64)
		return false;
	for (unsigned i = 0; i < 64; i++) {
		char c = ascii_lower(s[i]);
		unsigned v = ch_digit(c) ? (unsigned)(c - '0') : (unsigned)(c - 'a' + 10);
		if (!ch_digit(c) && (c < 'a' || c > 'f'))
			return false;
		out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] | v : v << 4);
	}
	return true;
}

static void add_pin(struct native *p, struct word *w, int n)
{
	struct menu_entry *e = p->e;
	uint8_t digest[32];
	if (n != 3) {
		WARN(p, &w[0], "expected: sha256 PATH HEX64");
		return;
	}
	if (!path_ok(p, &w[1]))
		return;
	if (!hex_digest(w[2].text, digest)) {
		WARN(p, &w[2], "'%s' is not 64 hex digits", w[2].text);
		return;
	}
	if (e->nr_pins >= ENTRY_MAX_PINS) {
		WARN(p, &w[0], "more than %u sha256 pins; this one is dropped", ENTRY_MAX_PINS);
		return;
	}
	for (unsigned i = 0; i < e->nr_pins; i++)
		if (!strcmp(e->pins[i].path, w[1].text)) {
			WARN(p, &w[1], "a second pin for '%s'; the first one wins", w[1].text);
			return;
		}
	e->pins[e->nr_pins].path = take(&w[1]);
	memcpy(e->pins[e->nr_pins].sha256, digest, 32);
	e->nr_pins++;
}

/* "choice" keywords: protocol and rsdp-low. */
static bool one_of(struct native *p, struct word *w, int n, const char *const *names,
		   unsigned count, unsigned *out)
{
	struct strbuf b = { 0 };
	if (n == 2)
		for (unsigned i = 0; i < count; i++)
			if (!strcmp(w[1].text, names[i])) {
				*out = i;
				return true;
			}
	for (unsigned i = 0; i < count; i++) {
		if (i)
			sb_putc(&b, '|');
		sb_puts(&b, names[i]);
	}
	WARN(p, n == 2 ? &w[1] : &w[0], "%s: expected %s", w[0].text, b.s ? b.s : "");
	sb_free(&b);
	return false;
}

static void entry_statement(struct native *p, struct word *w, int n)
{
	struct menu_entry *e = p->e;
	const char *kw = w[0].text;
	static const char *const rsdp[] = { "auto", "on", "off" };
	static const enum rsdp_low_policy rsdp_policy[] = { RSDP_LOW_AUTO, RSDP_LOW_ON,
							    RSDP_LOW_OFF };
	unsigned choice;

	if (!strcmp(kw, "title")) {
		if (n != 2) {
			WARN(p, &w[0], "expected: title TEXT (quote it if it has spaces)");
			return;
		}
		free(e->title);
		e->title = take(&w[1]);
	} else if (!strcmp(kw, "kernel") || !strcmp(kw, "efi")) {
		/* `efi PATH`: an EFI program the firmware starts (kernel + protocol efi). */
		if (n != 2) {
			WARN(p, &w[n > 2 ? 2 : 0], "expected: %s PATH (arguments go in cmdline)", kw);
			return;
		}
		if (e->kernel)
			WARN(p, &w[0], "a second kernel; it replaces '%s'", e->kernel);
		if (path_ok(p, &w[1])) {
			free(e->kernel);
			e->kernel = take(&w[1]);
			if (!strcmp(kw, "efi"))
				e->protocol = KERNEL_EFI;
		}
	} else if (!strcmp(kw, "initrd")) {
		if (n < 2)
			WARN(p, &w[0], "expected: initrd PATH...");
		for (int i = 1; i < n; i++)
			if (path_ok(p, &w[i]))
				p->oom |= !entry_add_initrd(p->m, e, take(&w[i]), p->name,
							    w[i].line, w[i].col);
	} else if (!strcmp(kw, "module")) {
		if (n < 2) {
			WARN(p, &w[0], "expected: module PATH [ARGS...]");
			return;
		}
		if (path_ok(p, &w[1]))
			p->oom |= !entry_add_module(p->m, e, take(&w[1]), join(p, w + 2, n - 2),
						    p->name, w[1].line, w[1].col);
	} else if (!strcmp(kw, "cmdline")) {
		char *s = join(p, w + 1, n - 1);
		p->oom |= !s || !entry_append_cmdline(e, s);
		free(s);
	} else if (!strcmp(kw, "protocol")) {
		/* "auto", then every format of the table by its name. */
		const char *protocols[1 + KERNEL_FORMAT_END] = { "auto" };
		for (unsigned i = 0; i < nr_kernel_formats; i++)
			protocols[1 + i] = kernel_formats[i].name;
		if (one_of(p, w, n, protocols, 1 + nr_kernel_formats, &choice))
			e->protocol = choice ? kernel_formats[choice - 1].id : KERNEL_UNKNOWN;
	} else if (!strcmp(kw, "rsdp-low")) {
		if (one_of(p, w, n, rsdp, ARRAY_SIZE(rsdp), &choice))
			e->rsdp_low = rsdp_policy[choice];
	} else if (!strcmp(kw, "sha256")) {
		add_pin(p, w, n);
	} else {
		WARN(p, &w[0], "unknown keyword '%s'", kw);
	}
}

static int parse_file(struct native *p);

static void include(struct native *p, struct word *w, int n)
{
	end_entry(p);
	if (n != 2) {
		WARN(p, &w[0], "expected: include PATH");
		return;
	}
	if (!path_ok(p, &w[1]))
		return;
	char *text;
	size_t len;
	if (include_enter(p->m, p->src, p->inc, w[1].text, p->name, w[1].line, w[1].col, &text,
			  &len))
		return;
	struct native child = { .m = p->m, .src = p->src, .inc = p->inc, .text = text,
				.len = len, .line = 1, .base = p->base };
	char *name = source_child(p->name, w[1].text);
	if (name) {
		child.name = name;
		p->oom |= parse_file(&child) < 0;
	} else {
		p->oom = true;
	}
	free(name);
	free(text);
	include_leave(p->inc);
}

static void global_statement(struct native *p, struct word *w, int n)
{
	const char *kw = w[0].text;
	long t;
	if (!strcmp(kw, "timeout")) {
		if (n != 2 || !parse_int(w[1].text, strlen(w[1].text), 100000, &t) || t < -1)
			WARN(p, &w[n == 2], "expected: timeout SECONDS (-1 waits for a key)");
		else
			p->m->timeout = (int)t;
	} else if (!strcmp(kw, "default")) {
		if (n != 2) {
			WARN(p, &w[0], "expected: default ID|INDEX|TITLE");
			return;
		}
		free(p->m->default_id);
		p->m->default_id = take(&w[1]);
	} else if (!strcmp(kw, "writes")) {
		if (n != 2 || (strcmp(w[1].text, "off") && strcmp(w[1].text, "on")))
			WARN(p, &w[0], "expected: writes off|on");
		else
			p->m->writes_off = !strcmp(w[1].text, "off");
	} else if (!strcmp(kw, "include")) {
		include(p, w, n);
	} else if (!strcmp(kw, "entry")) {
		begin_entry(p, w, n);
	} else if (p->e) {
		entry_statement(p, w, n);
	} else {
		WARN(p, &w[0], "'%s' outside an entry (start one with: entry ID [TITLE])", kw);
	}
}

static int parse_file(struct native *p)
{
	struct word words[MAX_WORDS];
	int n;
	while (!p->oom && (n = statement(p, words)) >= 0) {
		if (n)
			global_statement(p, words, n);
		for (int i = 0; i < n; i++)
			free(words[i].text);
	}
	end_entry(p);
	return p->oom ? -ENOMEM : 0;
}

int config_parse_native(struct menu *m, const struct config_source *src, const char *text,
			size_t len)
{
	struct include_stack inc = { .top = source_path(src->name) };
	struct native p = { .m = m, .src = src, .inc = &inc, .name = src->name, .text = text,
			    .len = len, .line = 1, .base = m->count };
	return parse_file(&p);
}
