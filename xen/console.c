/* SPDX-License-Identifier: MIT */
/*
 * The PV console ring (io/console.h): output and keyboard input for
 * `xl console`. Output never blocks forever: a full ring waits 100 ms for
 * xenconsoled, then drops the rest of the message.
 */
#include "../core/console.h"
#include "xen.h"

static volatile struct xencons_interface *ring;
static uint32_t port;

static void cons_write(struct console *c, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n' && !(i && s[i - 1] == '\r')) {
			char cr = '\r';
			cons_write(c, &cr, 1);
		}
		uint64_t deadline = xen_time_ns() + 100000000ull;
		while (ring->out_prod - ring->out_cons >= sizeof(ring->out)) {
			xen_evtchn_send(port);
			if (!xen_evtchn_wait(port, deadline))
				return;
		}
		ring->out[ring->out_prod % sizeof(ring->out)] = s[i];
		/* The backend must see the byte before the index that covers it. */
		__asm__ volatile("" ::: "memory");
		ring->out_prod++;
	}
	xen_evtchn_send(port);
}

static int cons_getc(struct console *c)
{
	if (ring->in_cons == ring->in_prod)
		return -1;
	__asm__ volatile("" ::: "memory");
	char ch = ring->in[ring->in_cons % sizeof(ring->in)];
	__asm__ volatile("" ::: "memory");
	ring->in_cons++;
	xen_evtchn_send(port);
	return (uint8_t)ch;
}

static struct console xen_console = { .name = "xen", .write = cons_write, .getc = cons_getc };

void xen_console_init(void)
{
	uint64_t pfn, evtchn;
	if (xen_hvm_param(HVM_PARAM_CONSOLE_PFN, &pfn) || !pfn ||
	    xen_hvm_param(HVM_PARAM_CONSOLE_EVTCHN, &evtchn))
		return;
	ring = (volatile struct xencons_interface *)(uintptr_t)(pfn << 12);
	port = (uint32_t)evtchn;
	console_register(&xen_console);
}
