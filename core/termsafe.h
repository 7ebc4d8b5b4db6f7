/* SPDX-License-Identifier: MIT */
/*
 * Text from a disk (menu titles, file and volume names, config warnings)
 * must not drive the terminal it is printed on: "\x1b[2J" in a title
 * would clear the screen, and an OSC or DCS sequence can retitle the
 * window or worse. Everything printed that a disk could have written goes
 * through term_sanitize(): in the log front end (core/log.c) and where the
 * config parsers store titles and warnings (config/model.c).
 */
#ifndef PVHBOOT_CORE_TERMSAFE_H
#define PVHBOOT_CORE_TERMSAFE_H

#include "lib.h"

/*
 * term_sanitize() - rewrite the C string @s in place so that it holds no
 * terminal control: a tab becomes a space; every other C0 control (ESC
 * among them), DEL, every C1 control (U+0080-U+009F, which 8-bit
 * terminals also take from the single bytes 0x80-0x9f, CSI = 0x9b) and
 * every byte that is not part of well-formed UTF-8 becomes '?'. Other
 * UTF-8 is kept. The text never grows; returns its new length.
 */
size_t term_sanitize(char *s);

#endif
