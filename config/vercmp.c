/* SPDX-License-Identifier: MIT */
/*
 * Version comparison of the UAPI Version Format Specification
 * (uapi-group.org/specifications/specs/version_format_specification), which
 * the Boot Loader Specification uses to order entries. The numbered steps
 * below are the specification's.
 *
 * Where the specification's text contradicts itself, this follows
 * systemd's strverscmp_improved(), which the specification names as its
 * implementation: '~' is looked at before the end of a string, so that
 * "1.0~rc1" < "1.0" ("Tilde (~) starts a suffix that always sorts lower";
 * the numbered steps would order it the other way, as would the examples
 * '' < '~' and '0' < '~'), a number is newer than letters, and a '^'
 * suffix is newer than nothing but older than another '.' or '-' part
 * ("1.0" < "1.0^p1" < "1.0.1", as systemd documents).
 */
#include "parser.h"

static bool valid(char c)
{
	return ch_alnum(c) || c == '-' || c == '.' || c == '~' || c == '^';
}

/* Steps 3, 5, 6: @c starts exactly one string: that one is @sign; both: skip it. */
static int special(const char **a, const char **b, char c, int sign, bool *done)
{
	bool ia = **a == c, ib = **b == c;
	*done = false;
	if (ia != ib) {
		*done = true;
		return ia ? sign : -sign;
	}
	if (ia) {
		(*a)++;
		(*b)++;
	}
	return 0;
}

static int cmp_numbers(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb;
	if (ch_digit(*a) != ch_digit(*b))
		return ch_digit(*a) ? 1 : -1;
	while (*a == '0')
		a++;
	while (*b == '0')
		b++;
	const char *ea = a, *eb = b;
	while (ch_digit(*ea))
		ea++;
	while (ch_digit(*eb))
		eb++;
	*pa = ea;
	*pb = eb;
	/* Without leading zeros the longer run is the bigger number; no overflow. */
	if (ea - a != eb - b)
		return ea - a < eb - b ? -1 : 1;
	int r = memcmp(a, b, (size_t)(ea - a));
	return r < 0 ? -1 : r > 0;
}

static int cmp_letters(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb;
	while (ch_alpha(*a) && ch_alpha(*b)) {
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++, b++;
	}
	if (ch_alpha(*a) != ch_alpha(*b))
		return ch_alpha(*a) ? 1 : -1;
	*pa = a;
	*pb = b;
	return 0;
}

int config_version_cmp(const char *a, const char *b)
{
	for (;;) {
		bool done;
		int r;
		/* 1. Characters outside the set are skipped. */
		while (*a && !valid(*a))
			a++;
		while (*b && !valid(*b))
			b++;
		/* 3. '~' sorts lower, even below an ended string. */
		r = special(&a, &b, '~', -1, &done);
		if (done)
			return r;
		/* 2, 4. An ended string is lower unless both ended. */
		if (!*a || !*b)
			return *a ? 1 : *b ? -1 : 0;
		/* 5. '-', 6. '^' and 6. '.' each sort below anything but an end. */
		r = special(&a, &b, '-', -1, &done);
		if (done)
			return r;
		r = special(&a, &b, '^', -1, &done);
		if (done)
			return r;
		r = special(&a, &b, '.', -1, &done);
		if (done)
			return r;
		/* 7. Numbers numerically, and newer than letters; 8. letters bytewise. */
		if (ch_digit(*a) || ch_digit(*b))
			r = cmp_numbers(&a, &b);
		else
			r = cmp_letters(&a, &b);
		if (r)
			return r;
	}
}
