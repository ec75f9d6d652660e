/*
 * analyzer/flow_addr.h: IPv4 text <-> bytes without libc's inet_pton and
 * inet_ntop, which cost several times more than the rest of a key
 * function (inet_ntop formats IPv4 through sprintf). Strict dotted quad:
 * four decimal parts of at most three digits, each <= 255.
 */
#ifndef RTFLOW_ANALYZER_FLOW_ADDR_H
#define RTFLOW_ANALYZER_FLOW_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool flow_ip4_parse(const char *s, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0, digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255 || *s != (i < 3 ? '.' : '\0'))
			return false;
		out[i] = (uint8_t)v;
		s++;
	}
	return true;
}

/* Dotted quad of a into b[0..cap) (cap >= 16); its length. */
static inline int flow_ip4_format(const uint8_t *a, char *b)
{
	int n = 0;

	for (int i = 0; i < 4; i++) {
		uint8_t v = a[i];

		if (v >= 100)
			b[n++] = (char)('0' + v / 100);
		if (v >= 10)
			b[n++] = (char)('0' + v / 10 % 10);
		b[n++] = (char)('0' + v % 10);
		b[n++] = i < 3 ? '.' : '\0';
	}
	return n - 1;
}

#endif
