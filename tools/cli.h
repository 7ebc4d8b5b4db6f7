/* SPDX-License-Identifier: MIT */
/*
 * The host CLI's subcommands. Each lives in its own tools/<name>.c and is
 * listed once in the table in tools/pvhboot.c; to add one, write
 * cmd_<name>() here and add a row there.
 *
 * Conventions: results on stdout, errors on stderr as
 * "pvhboot <cmd>: <what>: <why>", exit status 0 on success, 1 when an
 * input is not what was asked for (an unknown kernel format), 2 for usage
 * and I/O errors. Inputs are opened read-only, never written, except by the
 * install commands (install, update, set-oneshot, set-default), which say
 * what they write, and the EFI image `enroll` is asked to change.
 */
#ifndef PVHBOOT_TOOLS_CLI_H
#define PVHBOOT_TOOLS_CLI_H

#include <stddef.h>

#define EXIT_NOT_RECOGNISED 1
#define EXIT_USAGE 2

/* argv[0] is the subcommand's name; argc counts it. */
int cmd_identify(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_cat(int argc, char **argv);
int cmd_menu(int argc, char **argv);
int cmd_env(int argc, char **argv);
int cmd_install(int argc, char **argv); /* also "update" */
int cmd_status(int argc, char **argv);
int cmd_set_oneshot(int argc, char **argv);
int cmd_set_default(int argc, char **argv);
int cmd_xl_config(int argc, char **argv);
int cmd_enroll(int argc, char **argv);

/* Read a whole file into a malloc()ed buffer; errno-style message on failure. */
/* identify's multiboot2 details (identify_mb2.c); 0 or the parser's error. */
int describe_mb2(const void *buf, size_t len);
int read_whole_file(const char *path, void **data, size_t *len);

#endif
