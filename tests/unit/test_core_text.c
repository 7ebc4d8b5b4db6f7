/* SPDX-License-Identifier: MIT */
/*
 * The text helpers of core/ that every parser and driver shares: copies and
 * ASCII case-insensitive comparison (core/str.h), UTF-16 to UTF-8 with its
 * one lone-surrogate policy (core/utf8.h), and the terminal sanitizer
 * (core/termsafe.h). Tables, one line per case; a failure names the case.
 */
#include <stdlib.h>

#include "../../core/errno.h"
#include "../../core/str.h"
#include "../../core/termsafe.h"
#include "../../core/utf8.h"
#include "../../core/words.h"
#include "test.h"

TEST(str_dup_and_ndup)
{
	char *a = str_dup("vmlinuz"), *b = str_ndup("initrd.img", 6);
	CHECK(a && b);
	CHECK(!strcmp(a, "vmlinuz"));
	CHECK(!strcmp(b, "initrd"));
	free(a);
	free(b);
}

static const struct {
	const char *a;
	size_t n;
	const char *word;
	bool eq;
} nocase[] = {
	{ "LABEL", 5, "label", true },   { "Label", 5, "LABEL", true },
	{ "label", 4, "label", false },  /* the word is longer */
	{ "labelx", 6, "label", false }, /* the word is shorter: not read past */
	{ "", 0, "", true },             { "a[", 2, "A{", false }, /* '[' is not '{' */
	{ "\xc9t\xc9", 3, "\xe9t\xe9", false }, /* ASCII only: no Latin-1 fold */
};

TEST(ascii_case_insensitive_compare)
{
	for (unsigned i = 0; i < ARRAY_SIZE(nocase); i++) {
		if (mem_eq_nocase(nocase[i].a, nocase[i].n, nocase[i].word) != nocase[i].eq)
			FAIL("case %u: \"%.*s\" vs \"%s\"", i, (int)nocase[i].n, nocase[i].a,
			     nocase[i].word);
	}
	CHECK(str_eq_nocase("UUID", "uuid"));
	CHECK(!str_eq_nocase("UUID", "uuid2"));
	CHECK(mem_eq_nocase_n("ISOLINUX", "isolinux", 8));
	CHECK(!mem_eq_nocase_n("ISOLINUX", "isolinuy", 8));
	CHECK_EQ_INT(ascii_lower('Z'), 'z');
	CHECK_EQ_INT(ascii_lower('@'), '@');
	CHECK_EQ_INT(ascii_lower('['), '[');
}

/* UTF-16 units, a terminating 0 in the table only (units counts without it). */
#define U16(...) ((const uint16_t[]){ __VA_ARGS__, 0 }), sizeof((const uint16_t[]){ __VA_ARGS__ }) / 2

static const struct {
	const uint16_t *units;
	size_t count;
	const char *utf8;
} utf16[] = {
	{ U16('b', 'o', 'o', 't'), "boot" },
	{ U16(0x3a9, 0x20ac), "\xce\xa9\xe2\x82\xac" },
	{ U16(0xd83d, 0xde00), "\xf0\x9f\x98\x80" },                    /* a pair: U+1F600 */
	{ U16(0xd83d), "\xef\xbf\xbd" },                                /* lone high at the end */
	{ U16(0xd83d, 'x'), "\xef\xbf\xbdx" },                          /* lone high, then kept */
	{ U16(0xde00, 'x'), "\xef\xbf\xbdx" },                          /* lone low */
	{ U16(0xde00, 0xd83d), "\xef\xbf\xbd\xef\xbf\xbd" },            /* low before high */
	{ U16(0xd83d, 0xd83d, 0xde00), "\xef\xbf\xbd\xf0\x9f\x98\x80" }, /* high, then a pair */
	{ U16('a', 0, 'b'), "a" },                                      /* NUL ends the text */
};

/* Store @u as little- or big-endian bytes at an odd address (alignment is not assumed). */
static const uint8_t *as_bytes(const uint16_t *u, size_t n, enum utf16_order o)
{
	static uint8_t buf[1 + 64];
	for (size_t i = 0; i < n; i++) {
		buf[1 + 2 * i + (o == UTF16_BE)] = (uint8_t)u[i];
		buf[1 + 2 * i + (o == UTF16_LE)] = (uint8_t)(u[i] >> 8);
	}
	return buf + 1;
}

TEST(utf16_to_utf8_one_surrogate_policy)
{
	for (unsigned o = UTF16_LE; o <= UTF16_BE; o++)
		for (unsigned i = 0; i < ARRAY_SIZE(utf16); i++) {
			char out[32];
			const uint8_t *in = as_bytes(utf16[i].units, utf16[i].count, o);
			int n = utf16_to_utf8(in, utf16[i].count, o, out, sizeof(out));
			if (n != (int)strlen(utf16[i].utf8) || strcmp(out, utf16[i].utf8))
				FAIL("case %u (%s): got %d \"%s\"", i, o == UTF16_LE ? "LE" : "BE", n,
				     out);
		}
}

TEST(utf16_to_utf8_cuts_at_a_character)
{
	char out[6];
	const uint8_t *in = as_bytes((const uint16_t[]){ 'a', 0x20ac, 0x20ac }, 3, UTF16_LE);
	/* "a" + 3 bytes fit in 5 (+ NUL); the second euro sign does not. */
	CHECK_EQ_INT(utf16_to_utf8(in, 3, UTF16_LE, out, sizeof(out)), -E2BIG);
	CHECK(!strcmp(out, "a\xe2\x82\xac"));
	CHECK_EQ_INT(utf16_to_utf8(in, 3, UTF16_LE, out, 1), -E2BIG);
	CHECK(!strcmp(out, ""));
}

static const struct {
	const char *in, *out;
} sanitize[] = {
	{ "Fedora Linux (6.8.5)", "Fedora Linux (6.8.5)" },
	{ "a\x1b[2Jb", "a?[2Jb" },                 /* ESC: clear screen */
	{ "\x1b]0;owned\x07", "?]0;owned?" },      /* OSC, ended by BEL */
	{ "x\x9b" "2Jy", "x?2Jy" },                /* raw 8-bit CSI */
	{ "x\xc2\x9b" "2Jy", "x?2Jy" },            /* U+009B CSI as UTF-8 */
	{ "x\xc2\x85y", "x?y" },                   /* U+0085 NEL */
	{ "x\xc0\x9b" "y", "x??y" },               /* overlong: two bad bytes */
	{ "x\xe0\x82\x9by", "x???y" },             /* overlong U+009B */
	{ "\xed\xa0\x80", "???" },                 /* a surrogate */
	{ "end\xe2\x82", "end??" },                /* cut short */
	{ "tab\there\r\n\x7f", "tab here???" },
	{ "\xce\xa9\xce\xbc\xce\xad\xce\xb3\xce\xb1 \xc2\xa0\xf0\x9f\x98\x80",
	  "\xce\xa9\xce\xbc\xce\xad\xce\xb3\xce\xb1 \xc2\xa0\xf0\x9f\x98\x80" }, /* kept: U+00A0 and up */
};

TEST(term_sanitize_drops_every_terminal_control)
{
	for (unsigned i = 0; i < ARRAY_SIZE(sanitize); i++) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%s", sanitize[i].in);
		size_t n = term_sanitize(buf);
		if (strcmp(buf, sanitize[i].out) || n != strlen(buf))
			FAIL("case %u: got \"%s\"", i, buf);
	}
}

/* The one option tokenizer: boot/options.c and efi/options.c both use it. */
TEST(words_split_outside_quotes)
{
	const char *s = "  entry=fedora\tappend=\"quiet splash\" x='a \"b' -- tail ";
	static const char *const want[] = { "entry=fedora", "append=\"quiet splash\"",
					    "x='a \"b'", "--", "tail" };
	static const char *const bare[] = { "entry=fedora", "append=quiet splash", "x=a \"b", "--",
					    "tail" };
	size_t pos = 0, len;
	const char *w;
	for (unsigned i = 0; i < ARRAY_SIZE(want); i++) {
		char out[64];
		if (!words_next(s, &pos, &w, &len))
			FAIL("word %u missing", i);
		if (len != strlen(want[i]) || memcmp(w, want[i], len))
			FAIL("word %u: \"%.*s\"", i, (int)len, w);
		CHECK_EQ_INT(words_unquote(w, len, out), strlen(bare[i]));
		if (strcmp(out, bare[i]))
			FAIL("word %u unquoted: \"%s\"", i, out);
	}
	CHECK(!words_next(s, &pos, &w, &len));
	CHECK(!words_next(s, &pos, &w, &len)); /* and stays at the end */
	pos = 0;
	CHECK(!words_next(" \t ", &pos, &w, &len));
	/* An unterminated quote runs to the end. */
	pos = 0;
	CHECK(words_next("a=\"b c", &pos, &w, &len));
	CHECK_EQ_INT(len, 6);
}

int main(void)
{
	RUN(str_dup_and_ndup);
	RUN(ascii_case_insensitive_compare);
	RUN(utf16_to_utf8_one_surrogate_policy);
	RUN(utf16_to_utf8_cuts_at_a_character);
	RUN(term_sanitize_drops_every_terminal_control);
	RUN(words_split_outside_quotes);
	return test_summary();
}
