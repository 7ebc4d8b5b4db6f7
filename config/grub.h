/* SPDX-License-Identifier: MIT */
/*
 * The grub.cfg reader, internal to config/: a small interpreter for the
 * subset of GRUB's script language that grub-mkconfig (Debian, Ubuntu,
 * Fedora) writes. It runs the script once, top to bottom, and each
 * menuentry body at the place it is defined; what it records is the menu.
 * docs/config.md lists what is evaluated and what is only skipped.
 *
 *   grub_lexer.c     words, separators and quoting; $variable expansion
 *   grubcfg.c        control flow: lists, if/elif/else, blocks, menuentry,
 *                    submenu, function; the default entry
 *   grub_commands.c  the commands: set, search, linux, initrd, multiboot,
 *                    module, load_env, source, blscfg, ...
 *   grub_test.c      the "[ ... ]" / test expressions
 */
#ifndef PVHBOOT_CONFIG_GRUB_H
#define PVHBOOT_CONFIG_GRUB_H

#include "parser.h"

/* Documented limits; beyond them a warning, and the excess is dropped. */
#define GRUB_MAX_ARGS 128      /* words in one command */
#define GRUB_MAX_VARS 256
#define GRUB_MAX_VALUE 4096    /* bytes in one variable's value */
#define GRUB_MAX_EXPANSION 65536 /* bytes of one expanded command */
#define GRUB_MAX_DEPTH 16      /* nested blocks and lists */
#define GRUB_MAX_FUNCTIONS 64

/* A word as written: a slice of the file, expanded only when it runs. */
struct grub_word {
	size_t start, end;
	unsigned line, col;
	bool plain; /* no quotes, escapes or '$': the bytes are the word */
};

enum grub_token {
	GT_WORD,
	GT_SEP,   /* ';' or a newline */
	GT_CLOSE, /* a '}' standing alone */
	GT_EOF,
};

struct grub_lexer {
	const char *name; /* of the file, for warnings */
	const char *text;
	size_t len, pos, line_start;
	unsigned line;
	bool has_back;    /* one token pushed back */
	enum grub_token back;
	struct grub_word back_word;
};

struct grub_var {
	char *name, *value;
};

struct grub_vars {
	struct grub_var *v;
	unsigned count;
};

/* One command's words after expansion. */
struct grub_args {
	char *v[GRUB_MAX_ARGS];
	unsigned count;
};

struct grub {
	struct menu *m;
	const struct config_source *src;
	struct include_stack inc;
	struct grub_lexer *lx;       /* the file being read */
	struct grub_vars vars;
	int status;                  /* of the last command, as $? */

	/* Flattening submenus: what the entries defined now are prefixed with. */
	char *title_prefix, *id_prefix, *index_prefix;
	unsigned level_count;        /* items so far at this menu level */
	unsigned base;               /* the menu's entry count when parsing began */
	char *index_path[MENU_MAX_ENTRIES]; /* GRUB's "N>M" of each entry, from base */

	struct menu_entry *e;        /* the menuentry whose body runs, or NULL */
	const char *unsupported;     /* a boot command of that body pvhboot cannot do */

	/* next_entry and saved_entry as load_env read them (why the default is what it is). */
	char *env_next, *env_saved;

	char *functions[GRUB_MAX_FUNCTIONS];
	unsigned nr_functions;
	unsigned depth;
	bool warned_loops, warned_values, oom, abort;
};

#define GRUB_WARN(g, w, ...) \
	menu_warn((g)->m, (g)->lx->name, (w)->line, (w)->col, __VA_ARGS__)

/* grub_lexer.c */
void grub_lexer_init(struct grub_lexer *lx, const char *name, const char *text, size_t len);
enum grub_token grub_next(struct grub *g, struct grub_word *w);
void grub_push_back(struct grub_lexer *lx, enum grub_token t, const struct grub_word *w);
/* True when @w is the unquoted word @s (keywords, "{"). */
bool grub_word_is(const struct grub_lexer *lx, const struct grub_word *w, const char *s);
/* Expand @w (quotes, escapes, variables, word splitting) onto @out; false on oom. */
bool grub_expand(struct grub *g, const struct grub_word *w, struct grub_args *out,
		 size_t *budget);
void grub_args_free(struct grub_args *a);

const char *grub_var(const struct grub *g, const char *name);
/* Set (or with @value NULL, unset) a variable; false on oom. */
bool grub_var_set(struct grub *g, const char *name, const char *value);
bool grub_vars_copy(const struct grub_vars *from, struct grub_vars *to);
void grub_vars_free(struct grub_vars *v);

/* grub_commands.c: run one expanded command; returns its status (0: true). */
int grub_command(struct grub *g, const struct grub_word *at, struct grub_args *a);
/* Read and run another grub.cfg (source, configfile). */
void grub_run_file(struct grub *g, const char *path, const struct grub_word *at);

/* grub_test.c: "[ EXPR ]" and "test EXPR" (@a without the "[" and "]"). */
int grub_test(struct grub *g, const struct grub_word *at, char *const *args, unsigned n);

/* grubcfg.c */
/* Record the GRUB index path of entry @index (the blscfg ones too); false on oom. */
bool grub_note_entry(struct grub *g, unsigned index);
void grub_run_lexer(struct grub *g, struct grub_lexer *lx);

#endif
