/* SPDX-License-Identifier: MIT */
/*
 * Version comparison of the UAPI Version Format Specification
 * (uapi-group.org/specifications/specs/version_format_specification), which
 * the Boot Loader Specification uses to order entries. The numbered steps
 * below are the specification's.
 *
 * Two of the specification's examples disagree with its own algorithm
 * ('' < '~' and '0' < '~'); the algorithm is followed, which puts a '~'
 * suffix below everything, as rpm and systemd do.
 */
#include "parser.h"

static bool valid(char c)
{
	return ch_alnum(c) || c == '-' || c == '.' || c == '~' || c == '^';
}

/* Steps 3, 5, 6: @c starts exactly one string -> that one is @sign; both -> skip. */
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
		/* 2. An ended string is lower unless both ended. */
		if (!*a || !*b)
			return *a ? 1 : *b ? -1 : 0;
		/* 3. '~' sorts lower. */
		r = special(&a, &b, '~', -1, &done);
		if (done)
			return r;
		/* 4. = 2. */
		if (!*a || !*b)
			return *a ? 1 : *b ? -1 : 0;
		/* 5. '-' sorts lower; 6. '^' higher; 6. '.' lower. */
		r = special(&a, &b, '-', -1, &done);
		if (done)
			return r;
		r = special(&a, &b, '^', 1, &done);
		if (done)
			return r;
		r = special(&a, &b, '.', -1, &done);
		if (done)
			return r;
		/* 7. Numbers numerically (an empty run counts as 0); 8. letters bytewise. */
		if (ch_digit(*a) || ch_digit(*b))
			r = cmp_numbers(&a, &b);
		else
			r = cmp_letters(&a, &b);
		if (r)
			return r;
	}
}
