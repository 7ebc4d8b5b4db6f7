/* SPDX-License-Identifier: MIT */
/*
 * The firmware console as a core console sink. Simple Text Output and
 * Simple Text Input are UEFI 2.10 §12.4 and §12.3; under OVMF both also
 * reach the serial port, which is what the tests read.
 */
#include "console.h"
#include "utf8.h"
#include "core/console.h"

/* CHAR16 units converted per OutputString call (plus room for "\r\n" and NUL). */
#define OUT_CHUNK 126

struct efi_console {
	struct console con; /* first: the multiplexer hands us this pointer */
	SIMPLE_TEXT_OUTPUT_INTERFACE *out;
	SIMPLE_INPUT_INTERFACE *in;
	struct utf8_decoder dec; /* a UTF-8 sequence may span two writes */
	char pending[4];         /* input bytes not yet returned by getc */
	uint8_t pending_len, pending_pos;
	/*
	 * Set once boot services are gone (or going: after a first
	 * ExitBootServices call only memory services may be used, UEFI 2.10
	 * §7.4). core/console.h has no unregister, so the sink stays in the
	 * list and goes quiet.
	 */
	bool detached;
};

static struct efi_console efi_con;

static struct efi_console *to_efi(struct console *c)
{
	return (struct efi_console *)c;
}

static void flush(struct efi_console *ec, CHAR16 *buf, size_t *n)
{
	if (!*n)
		return;
	buf[*n] = 0;
	/*
	 * The status is dropped on purpose: a console has nowhere to report
	 * its own failure, and EFI_WARN_UNKNOWN_GLYPH (a character the
	 * terminal cannot draw) is not one.
	 */
	uefi_call_wrapper(ec->out->OutputString, 2, ec->out, buf);
	*n = 0;
}

static void efi_write(struct console *c, const char *s, size_t len)
{
	struct efi_console *ec = to_efi(c);
	CHAR16 buf[OUT_CHUNK + 3];
	size_t n = 0;

	if (ec->detached)
		return;

	for (size_t i = 0; i < len; i++) {
		uint16_t ch[2];
		unsigned got = utf8_decode_byte(&ec->dec, (uint8_t)s[i], ch);
		for (unsigned k = 0; k < got; k++) {
			/* Simple Text Output moves down on LF without returning. */
			if (ch[k] == '\n')
				buf[n++] = '\r';
			buf[n++] = ch[k];
			if (n >= OUT_CHUNK)
				flush(ec, buf, &n);
		}
	}
	flush(ec, buf, &n);
}

/* Scan codes (UEFI 2.10 §12.3, "EFI Scan Codes") as xterm/VT100 sequences. */
static const struct {
	UINT16 scan;
	const char *seq;
} scan_seqs[] = {
	{ SCAN_UP, "\033[A" },     { SCAN_DOWN, "\033[B" },  { SCAN_RIGHT, "\033[C" },
	{ SCAN_LEFT, "\033[D" },   { SCAN_HOME, "\033[H" },  { SCAN_END, "\033[F" },
	{ SCAN_INSERT, "\033[2~" }, { SCAN_DELETE, "\033[3~" }, { SCAN_PAGE_UP, "\033[5~" },
	{ SCAN_PAGE_DOWN, "\033[6~" }, { SCAN_ESC, "\033" },
};

static void queue_key(struct efi_console *ec, const EFI_INPUT_KEY *key)
{
	ec->pending_pos = 0;
	ec->pending_len = 0;
	if (key->UnicodeChar) {
		ec->pending_len = (uint8_t)utf8_encode_ucs2(key->UnicodeChar, ec->pending);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(scan_seqs); i++) {
		if (scan_seqs[i].scan == key->ScanCode) {
			size_t n = strlen(scan_seqs[i].seq);
			memcpy(ec->pending, scan_seqs[i].seq, n);
			ec->pending_len = (uint8_t)n;
			return;
		}
	}
	/* Function keys and the rest have no byte form: dropped. */
}

static int efi_getc(struct console *c)
{
	struct efi_console *ec = to_efi(c);
	if (ec->detached)
		return -1;
	while (ec->pending_pos == ec->pending_len) {
		EFI_INPUT_KEY key;
		/* EFI_NOT_READY means no key; any other error, no usable key either. */
		if (uefi_call_wrapper(ec->in->ReadKeyStroke, 2, ec->in, &key) != EFI_SUCCESS)
			return -1;
		queue_key(ec, &key);
	}
	return (uint8_t)ec->pending[ec->pending_pos++];
}

void efi_console_init(EFI_SYSTEM_TABLE *st)
{
	efi_con.con.name = "efi";
	efi_con.con.write = efi_write;
	efi_con.out = st->ConOut;
	efi_con.in = st->ConIn;
	efi_con.con.getc = efi_con.in ? efi_getc : NULL;
	/* Headless firmware may have no ConOut: then there is nothing to add. */
	if (efi_con.out)
		console_register(&efi_con.con);
}

void efi_console_detach(void)
{
	efi_con.detached = true;
}
