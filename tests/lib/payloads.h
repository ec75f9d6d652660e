/*
 * tests/lib/payloads.h: UDP payloads of a capture file, for tests and
 * benchmarks. Reads pcap/pcapng with libpcap and strips Ethernet (with
 * 802.1Q tags), IPv4/IPv6 and UDP headers; frames that are not UDP are
 * skipped. The result owns one buffer holding every payload back to back.
 */
#ifndef TESTS_PAYLOADS_H
#define TESTS_PAYLOADS_H

#include <stddef.h>
#include <stdint.h>

struct payloads {
	uint8_t *data;     /* all payloads, back to back */
	size_t *offset;    /* start of payload i in data */
	size_t *len;       /* its length */
	size_t count;
};

/* Load `path`; 0, or -1 when it cannot be read as a capture. */
int payloads_load(struct payloads *p, const char *path);
void payloads_free(struct payloads *p);

#endif
