/*
 * sflow/dump/fmt.h: value formatting in sflowtool's spelling.
 *
 * Pure functions that write into caller buffers and return the length
 * written (the buffer is always NUL-terminated). Spellings: MACs as 12
 * lowercase hex digits, IPv6 as eight 4-digit groups without compression,
 * tags and data sources as "a:b", times as ISO 8601 local time with a
 * numeric zone, unknown addresses as "-". Safe on any thread.
 */
#ifndef DUMP_FMT_H
#define DUMP_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sflow/records.h"

#define FMT_ADDRESS_LEN 48 /* enough for any fmt_address() result */

size_t fmt_mac(char out[13], const uint8_t *mac);
size_t fmt_ip4(char out[16], const uint8_t *ip);
size_t fmt_ip6(char out[40], const uint8_t *ip);
size_t fmt_address(char out[FMT_ADDRESS_LEN], const struct sfl_address *a);
size_t fmt_uuid(char out[37], const uint8_t *uuid);
size_t fmt_tag(char out[24], uint32_t tag);

/*
 * `n` bytes as hex pairs, upper or lower case, with `sep` between pairs
 * when not '\0'; stops early so that out[] (of `cap` bytes) is never
 * overrun, as sflowtool's fixed scratch string does.
 */
size_t fmt_hex(char *out, size_t cap, const uint8_t *bytes, size_t n, bool upper, char sep);

/* "%Y-%m-%dT%H:%M:%S%z" in the local time zone (TZ). */
size_t fmt_time(char out[64], time_t t);

/*
 * sflowtool's URL encoding of memcache keys: letters and digits kept,
 * white space as '+', anything else as '%' and two hex digits -- in
 * swapped order, as sflowtool prints them on little-endian hosts ('/' is
 * "%F2"). Reads `in` up to `n` bytes or a NUL. `cap` >= 3 * n + 1.
 */
size_t fmt_urlencode(char *out, size_t cap, const char *in, size_t n);

/* Length of a wire string as sflowtool sees it: at most `max` bytes and
 * no further than the first NUL. */
size_t fmt_cstr_len(const char *s, size_t len, size_t max);

#endif
