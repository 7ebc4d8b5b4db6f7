/* SPDX-License-Identifier: MIT */
/*
 * The boot menu model shared by every config source (native pvhboot.cfg,
 * Boot Loader Specification entries, grub.cfg, extlinux.conf) and by the
 * menu, the scripted choice and the host CLI.
 *
 * Parsers are pure: text in, entries and warnings out. They never touch a
 * disk; files they include are fetched through a callback. Paths are kept
 * as written ("/boot/vmlinuz", "(vda2)/vmlinuz", "(UUID=...)/vmlinuz"); the
 * loader resolves them against devices (fs/path.c, docs/config.md).
 */
#ifndef PVHBOOT_CONFIG_CONFIG_H
#define PVHBOOT_CONFIG_CONFIG_H

#include "../core/lib.h"
#include "../loaders/kernel.h"

struct mounted;

/* Documented limits: exceeding them is a warning and the excess is dropped. */
#define MENU_MAX_ENTRIES 128
#define ENTRY_MAX_INITRDS 16
#define ENTRY_MAX_MODULES 16
#define ENTRY_MAX_PINS 16
#define CONFIG_MAX_INCLUDE_DEPTH 8
#define CONFIG_MAX_WARNINGS 64
/* The timeout of a menu whose config names none (seconds). */
#define CONFIG_DEFAULT_TIMEOUT 5

struct file_pin {
	char *path;
	uint8_t sha256[32];
};

struct mb_module {
	char *path;
	char *cmdline; /* arguments after the path, "" if none */
	bool unzip;    /* grub.cfg module/module2 without --nounzip: inflate (issue 11) */
};

/*
 * Documented limits: what one config parse may fetch through its source,
 * includes, blscfg, load_env and file tests together. A grub.cfg that
 * tests thousands of files (or a BLS directory of thousands of entries)
 * would otherwise read each of them, up to 1 MiB apiece, before the menu
 * shows. A real one needs one read per BLS entry, its grubenv and a few
 * file tests: far below either limit.
 */
#define CONFIG_MAX_FILE_OPS 256
#define CONFIG_MAX_READ_BYTES (16u << 20)

struct menu_entry {
	char *id;        /* stable: BLS file name without .conf, or native `id`/title */
	char *title;
	char *kernel;    /* path; NULL for an entry that cannot boot (warned) */
	char *cmdline;   /* "" if none */
	unsigned nr_initrds;
	char *initrds[ENTRY_MAX_INITRDS];
	unsigned nr_modules;                      /* multiboot modules, in order */
	struct mb_module modules[ENTRY_MAX_MODULES];
	enum kernel_format protocol;              /* KERNEL_UNKNOWN: detect */
	enum rsdp_low_policy rsdp_low;
	unsigned nr_pins;
	struct file_pin pins[ENTRY_MAX_PINS];
	/* BLS ordering keys, "" when absent. */
	char *sort_key, *version, *machine_id;
	char *source;    /* "FILE:LINE" where the entry was defined */
	/* The volume its relative paths live on (boot flow only; parsers leave it NULL). */
	struct mounted *volume;
	/* GRUB's savedefault in its body: saved_entry becomes this when it boots; or NULL. */
	char *save_default;
	/*
	 * BLS boot counting (Automatic Boot Assessment): a file NAME+LEFT[-DONE].conf
	 * has tries_left = LEFT, tries_done = DONE (0 when absent); -1: not counted.
	 * The id is NAME, without the counter. A grubenv counter (boot/bootcount.h)
	 * may have lowered LEFT since the file was named.
	 */
	int tries_left, tries_done;
	/* The entry's file on its volume, "/loader/entries/NAME+2-0.conf"; NULL if not BLS. */
	char *bls_file;
};

/* Documented limit: grubenv variables one config saves (save_env). */
#define MENU_MAX_ENV_WRITES 16

/*
 * The grubenv changes a config asks for as it runs (GRUB's save_env at
 * menu time): kept here and written only once a kernel is about to start
 * (boot/envwrite.c), never while the menu is read.
 */
struct env_write {
	char *key;
	char *value;   /* NULL: remove the key (save_env of an unset variable) */
};

struct menu_env {
	char *path;    /* the grubenv the config loads or saves, config path syntax; NULL: none */
	unsigned count;
	struct env_write w[MENU_MAX_ENV_WRITES];
};

struct menu {
	unsigned count;
	struct menu_entry entries[MENU_MAX_ENTRIES];
	int timeout;        /* seconds; -1: wait for a key; 0: boot the default at once */
	char *default_id;   /* an id, a 0-based index, a title, or a BLS glob; NULL: first */
	unsigned nr_warnings;
	char *warnings[CONFIG_MAX_WARNINGS]; /* "FILE:LINE:COL: message" */
	struct menu_env env;
	bool writes_off;    /* the config forbids every write (native `writes off`) */
	char *default_why;  /* how default_id was chosen ("next_entry", "saved_entry"), or NULL */
};

/*
 * menu_env_set() - record that the grubenv at @path gets @key=@value (NULL
 * removes it) when a kernel boots; a later write of the same key replaces
 * it. False on oom, or (warned) for a second grubenv or too many keys.
 */
bool menu_env_set(struct menu *m, const char *path, const char *key, const char *value);
void menu_env_free(struct menu_env *env);

/* Fetch another config file (include, blscfg, loader.conf); 0 or -E*. */
typedef int (*config_read_fn)(void *ctx, const char *path, char **text, size_t *len);

/* List the file names in a directory (malloc()ed array of malloc()ed names). */
typedef int (*config_list_fn)(void *ctx, const char *dir, char ***names, unsigned *count);

struct config_source {
	/*
	 * Shown in warnings, e.g. "vda2:/boot/grub/grub.cfg". The path after
	 * "VOLUME:" also gives GRUB's $prefix and Syslinux's working directory
	 * (docs/config.md); a name without one leaves them unknown.
	 */
	const char *name;
	config_read_fn read;     /* may be NULL: includes then fail with a warning */
	config_list_fn list;     /* may be NULL: blscfg then finds nothing (warned) */
	void *ctx;
};

void menu_init(struct menu *m);
/* Free every string of @m; @m is then as menu_init() leaves it. */
void menu_free(struct menu *m);
/*
 * Append a warning "SOURCE:LINE:COL: message" (printf-style); with @col 0
 * "SOURCE:LINE: message", with @line 0 "SOURCE: message". Past
 * CONFIG_MAX_WARNINGS the rest are dropped, and the last one says so.
 */
void menu_warn(struct menu *m, const char *source, unsigned line, unsigned col,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/*
 * A new zeroed entry at the end, its source "SOURCE:LINE"; NULL when the menu
 * is full (warned) or memory ran out (count < MENU_MAX_ENTRIES tells which).
 */
struct menu_entry *menu_add(struct menu *m, const char *source, unsigned line);

/*
 * Parsers. Each appends the entries it finds to @m and returns 0, or a
 * negative error only for conditions that make the whole file unusable
 * (-ENOMEM). Syntax errors are warnings naming file, line and column, and
 * parsing goes on with the next line or entry.
 */
int config_parse_native(struct menu *m, const struct config_source *src, const char *text,
			size_t len);
/* One BLS type #1 entry file; @id is its file name without ".conf". */
int config_parse_bls_entry(struct menu *m, const struct config_source *src, const char *id,
			   const char *text, size_t len);
/*
 * bls_counter_parse() - the boot counter at the end of a BLS file name
 * without ".conf": "NAME+LEFT" or "NAME+LEFT-DONE" (DONE 0 when absent),
 * each at most 6 digits. True with *@name_len the length of NAME.
 */
bool bls_counter_parse(const char *stem, int *left, int *done, size_t *name_len);
/* loader.conf: default, timeout. */
int config_parse_loader_conf(struct menu *m, const struct config_source *src, const char *text,
			     size_t len);
/* Sort BLS entries as the Boot Loader Specification orders them. */
void config_sort_bls(struct menu_entry *entries, unsigned count);
int config_parse_grub(struct menu *m, const struct config_source *src, const char *text,
		      size_t len);
int config_parse_extlinux(struct menu *m, const struct config_source *src, const char *text,
			  size_t len);

/*
 * menu_sanitize() - make every string of @m that the menu, the line editor
 * or `pvhboot menu` prints (titles, ids, command lines, sources, the
 * default, warnings) safe for a terminal (core/termsafe.h). Paths are left
 * alone: they are looked up, not shown. Call it once the menu is complete.
 */
void menu_sanitize(struct menu *m);

/*
 * menu_find() - the entry named by @what: an id, a 0-based index, or an exact
 * title; for BLS defaults also a glob ("fedora-*"). Returns the index or -1.
 */
int menu_find(const struct menu *m, const char *what);

/*
 * config_version_cmp() - compare two version strings the way the UAPI
 * Version Format Specification orders them ("6.8.5-301.fc40" > "6.8.4",
 * "1.0~rc1" < "1.0"). Returns <0, 0 or >0 like strcmp().
 */
int config_version_cmp(const char *a, const char *b);

#endif
