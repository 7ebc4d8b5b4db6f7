/* SPDX-License-Identifier: MIT */
/*
 * Measured boot through the firmware's EFI_TCG2_PROTOCOL (TCG EFI Protocol
 * Specification 2.0 §6.6 HashLogExtendEvent): the firmware hashes the data
 * with every active PCR bank, extends the PCR and appends the event to the
 * log the kernel later exposes as binary_bios_measurements.
 */
#include "status.h"
#include "tcg2.h"
#include "uefi.h"
#include "core/log.h"
#include "include/abi/uefi_boot.h"

static EFI_GUID tcg2_guid = { 0x607f766c, 0x7455, 0x42be,
			      { 0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f } };

struct tcg2_protocol;
typedef EFI_STATUS(EFIAPI *tcg2_hash_log_extend_event)(struct tcg2_protocol *self, UINT64 flags,
						       EFI_PHYSICAL_ADDRESS data, UINT64 len,
						       struct tcg2_event *event);
/* The protocol's functions in the specification's order; only one is called. */
struct tcg2_protocol {
	void *get_capability;
	void *get_event_log;
	tcg2_hash_log_extend_event hash_log_extend_event;
	void *submit_command;
	void *get_active_pcr_banks;
	void *set_active_pcr_banks;
	void *get_result_of_set_active_pcr_banks;
};

/* Documented limit: longer descriptions are cut (the digest is of the whole data). */
#define DESCRIPTION_MAX 256u

void efi_tcg2_measure(unsigned pcr, const void *data, size_t len, const char *description)
{
	static struct tcg2_protocol *tcg2;
	static bool looked;
	static uint8_t buf[sizeof(struct tcg2_event) + DESCRIPTION_MAX];

	if (!looked) {
		looked = true;
		if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &tcg2_guid, NULL,
						(void **)&tcg2)))
			tcg2 = NULL;
		log_info("efi: TPM 2.0 %s", tcg2 ? "present: measuring into PCRs 8 and 9"
					       : "absent: nothing is measured");
	}
	if (!tcg2)
		return;
	size_t dlen = MIN(strlen(description), (size_t)DESCRIPTION_MAX);
	struct tcg2_event *ev = (struct tcg2_event *)buf;
	ev->size = (uint32_t)(sizeof(*ev) + dlen);
	ev->header.header_size = sizeof(ev->header);
	ev->header.header_version = TCG2_EVENT_HEADER_VERSION;
	ev->header.pcr_index = pcr;
	ev->header.event_type = TCG_EV_IPL;
	memcpy(ev->data, description, dlen);
	EFI_STATUS st = uefi_call_wrapper(tcg2->hash_log_extend_event, 5, tcg2, 0,
					  (EFI_PHYSICAL_ADDRESS)(uintptr_t)data, (UINT64)len, ev);
	if (EFI_ERROR(st))
		(void)efi_fail(st, "TCG2 HashLogExtendEvent");
	else
		log_info("efi: measured into PCR %u: %.*s", pcr, (int)dlen, description);
}
