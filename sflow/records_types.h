/*
 * sflow/records_types.h: the building blocks of the record layouts:
 * strings, opaque bytes, addresses, u32 arrays and nested lists. After
 * decoding they point into the datagram (zero-copy) and live as long as
 * its buffer; built for encoding they point into caller memory. Included
 * by records.h; include that.
 */
#ifndef SFL_RECORDS_TYPES_H
#define SFL_RECORDS_TYPES_H

#include <stddef.h>
#include <stdint.h>

/* XDR string or opaque: `len` bytes at `ptr`, not NUL-terminated. */
struct sfl_str {
	const char *ptr;
	uint32_t len;
};

struct sfl_bytes {
	const uint8_t *ptr;
	uint32_t len;
};

/* XDR address union; `type` is enum sfl_address_type. */
struct sfl_address {
	uint32_t type;
	uint8_t addr[16]; /* 4 bytes used for IPv4, none for UNKNOWN */
};

/*
 * An array of 32-bit words. A decoded array points at its big-endian words
 * in the datagram (`xdr`); an array built for encoding may instead point at
 * host-order words (`host`). Read elements with sfl_u32_array_get().
 */
struct sfl_u32_array {
	const uint8_t *xdr;
	const uint32_t *host;
	uint32_t count;
};

/*
 * A list of structured elements (AS-path segments, adapters, SFP lanes).
 * Decoded: `xdr` is the first element in the datagram, already validated.
 * For encoding: `host` is an array of the element struct. Walk either form
 * with the element's *_next() iterator.
 */
struct sfl_list {
	const uint8_t *xdr;
	size_t xdr_len; /* bytes of all elements, decoded form only */
	const void *host;
	uint32_t count;
};

struct sfl_list_iter {
	const struct sfl_list *list;
	uint32_t index;
	size_t offset; /* into list->xdr */
};

#endif
