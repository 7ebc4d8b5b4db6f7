/* SPDX-License-Identifier: MIT */
/* SHA-256 against FIPS 180-4 vectors and sha256sum on random data. */
#include <stdlib.h>

#include "../../core/sha256.h"
#include "test.h"

static void check_hex(const void *data, size_t len, const char *want)
{
	uint8_t d[32];
	char hex[65];
	sha256(data, len, d);
	sha256_hex(d, hex);
	if (strcmp(hex, want))
		FAIL("sha256 = %s, want %s", hex, want);
}

TEST(fips_vectors)
{
	check_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(million_a_in_odd_pieces)
{
	struct sha256 s;
	uint8_t d[32];
	char hex[65];
	static char a[1000000];
	memset(a, 'a', sizeof(a));
	sha256_init(&s);
	for (size_t off = 0, step = 1; off < sizeof(a); off += step, step = step * 3 % 1000 + 1)
		sha256_update(&s, a + off, MIN(step, sizeof(a) - off));
	sha256_final(&s, d);
	sha256_hex(d, hex);
	CHECK(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

TEST(matches_sha256sum)
{
	static unsigned char buf[100003];
	char cmd[128], want[65] = { 0 }, hex[65];
	uint8_t d[32];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 2654435761u >> 13);
	FILE *f = fopen("/tmp/pvhboot-sha-test", "wb");
	CHECK(f && fwrite(buf, 1, sizeof(buf), f) == sizeof(buf));
	fclose(f);
	snprintf(cmd, sizeof(cmd), "sha256sum /tmp/pvhboot-sha-test");
	FILE *p = popen(cmd, "r");
	CHECK(p && fscanf(p, "%64s", want) == 1);
	pclose(p);
	remove("/tmp/pvhboot-sha-test");
	sha256(buf, sizeof(buf), d);
	sha256_hex(d, hex);
	CHECK(!strcmp(hex, want));
}

int main(void)
{
	RUN(fips_vectors);
	RUN(million_a_in_odd_pieces);
	RUN(matches_sha256sum);
	return test_summary();
}
