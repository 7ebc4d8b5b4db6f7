/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the config parsers (native, BLS, grub.cfg, extlinux):
 * text handling that works the same freestanding and on the host, entry
 * bookkeeping with the documented limits, and include bookkeeping.
 * Internal to config/; the public interface is config.h.
 */
#ifndef PVHBOOT_CONFIG_PARSER_H
#define PVHBOOT_CONFIG_PARSER_H

#include "../core/str.h"
#include "config.h"

/* ---- characters (no ctype.h: it is not freestanding and is locale-bound) ---- */

static inline bool ch_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}
/*
 * Blank in file text (bounded by a length, never a C string): a stray NUL
 * counts as blank there, so that it cannot cut a word short unseen.
 */
static inline bool ch_blank(int c)
{
	return ch_space(c) || c == 0;
}
static inline bool ch_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool ch_alpha(int c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static inline bool ch_alnum(int c) { return ch_digit(c) || ch_alpha(c); }

/* ---- strings ---- */

/* A growing NUL-terminated buffer; an allocation failure sets oom and sticks. */
struct strbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

void sb_putc(struct strbuf *b, char c);
void sb_put(struct strbuf *b, const char *s, size_t n);
void sb_puts(struct strbuf *b, const char *s);
/* The contents as a malloc()ed string ("" when empty); NULL only on oom. Resets @b. */
char *sb_take(struct strbuf *b);
void sb_free(struct strbuf *b);

/* a + b + c as one new string; NULL on oom. */
char *str_cat3(const char *a, const char *b, const char *c);
/* Decimal integer with an optional '-', |value| <= max; false on junk. */
bool parse_int(const char *s, size_t n, long max, long *out);

/* Shell-style glob: '*', '?', '[...]' (with '!' or '^'), '\' escapes. */
bool glob_match(const char *pattern, const char *s);

/*
 * Replace $NAME and ${NAME} in @s by @lookup's value ("" when it returns
 * NULL). Used where a foreign format carries GRUB variables (BLS options).
 */
char *expand_vars(const char *s, const char *(*lookup)(void *ctx, const char *name),
		  void *ctx);

/* ---- lines ---- */

struct line_reader {
	const char *text;
	size_t len, pos;
	unsigned lineno; /* of the line last returned, 1-based */
};

void lines_init(struct line_reader *r, const char *text, size_t len);
/* The next line without its '\n' (and '\r'); false at the end of the text. */
bool lines_next(struct line_reader *r, const char **line, size_t *n);

/* ---- paths and sources ---- */

/*
 * The directory of the file a config_source names ("vda2:/boot/grub/grub.cfg"
 * -> "/boot/grub", "x:/grub.cfg" -> ""), or NULL when the name carries no
 * absolute path. GRUB's $prefix and syslinux's working directory.
 */
char *source_dir(const char *source_name);
/* The path part of a source name ("vda2:/boot/x.cfg" -> "/boot/x.cfg"), or NULL. */
const char *source_path(const char *source_name);
/* The name warnings use for a file @path included from @parent ("vda2:" + path). */
char *source_child(const char *parent, const char *path);
/* @path made absolute against @dir ("" or "/boot"); paths with a (DEVICE) stay. */
char *path_in_dir(const char *dir, const char *path);

/* ---- entries ---- */

/* Free an entry's strings and zero it. */
void menu_entry_clear(struct menu_entry *e);
/* Remove the last entry (one that turned out unusable). */
void menu_drop_last(struct menu *m);
/*
 * Append @path (taken over, freed on failure) to @e's initrds or modules;
 * a full list is warned about at @line:@col of @src and the path dropped.
 * Return false only when out of memory.
 */
bool entry_add_initrd(struct menu *m, struct menu_entry *e, char *path, const char *src,
		      unsigned line, unsigned col);
bool entry_add_module(struct menu *m, struct menu_entry *e, char *path, char *args,
		      const char *src, unsigned line, unsigned col);
/* Append @words to @e's command line, space separated. False on oom. */
bool entry_append_cmdline(struct menu_entry *e, const char *words);
/* Give NULL optional strings their "" value; false on oom. */
bool entry_fill_defaults(struct menu_entry *e);

/* ---- includes ---- */

/*
 * The files being parsed: @top is the config itself (when its source name
 * tells its path), @paths the includes, outermost first.
 */
struct include_stack {
	const char *top;
	const char *paths[CONFIG_MAX_INCLUDE_DEPTH];
	unsigned depth;
	unsigned total;  /* includes so far: a file including several others at
			    every level must not make the work exponential */
};

/* Documented limit: files included by one config, all levels together. */
#define CONFIG_MAX_INCLUDES 64

/*
 * Read @path for an include at @src:@line:@col: 0 with the text, or a
 * negative error after a warning (no reader, too deep, a cycle, unreadable).
 * On success the path is pushed on @st; pop it with include_leave().
 */
int include_enter(struct menu *m, const struct config_source *src, struct include_stack *st,
		  const char *path, const char *where, unsigned line, unsigned col, char **text,
		  size_t *len);
void include_leave(struct include_stack *st);

/* ---- the file-read budget of one parse ---- */

/*
 * A config_source that forwards to @inner until the budget is spent, then
 * refuses with -EDQUOT after one warning on @m. Parsers hand &b->src on.
 */
struct source_budget {
	struct config_source src;
	const struct config_source *inner;
	struct menu *m;
	unsigned ops;
	uint64_t bytes;
	bool warned;
};

void source_budget_init(struct source_budget *b, struct menu *m,
			const struct config_source *inner);

/* ---- BLS entries inside another format (GRUB's blscfg) ---- */

struct bls_context {
	/* Expands $NAME in options and initrd; NULL: warn and keep as written. */
	const char *(*lookup)(void *ctx, const char *name);
	void *ctx;
	/* Device prefixed to absolute paths ("UUID=..."), or NULL. */
	const char *root;
};

int bls_parse_entry(struct menu *m, const struct config_source *src, const char *id,
		    const char *text, size_t len, const struct bls_context *bc);

#endif
