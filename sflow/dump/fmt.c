/*
 * sflow/dump/fmt.c: value formatting in sflowtool's spelling (see fmt.h).
 *
 * Hex is produced from a digit table rather than snprintf because header
 * bytes and MACs are the bulk of the text output.
 */
#include "sflow/dump/fmt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

size_t fmt_hex(char *out, size_t cap, const uint8_t *bytes, size_t n, bool upper, char sep)
{
	const char *digits = upper ? hex_upper : hex_lower;
	size_t per = sep ? 3 : 2, room, len = 0;

	if (cap == 0)
		return 0;
	room = (cap - 1) / per;
	if (n > room)
		n = room;
	for (size_t i = 0; i < n; i++) {
		if (sep && i)
			out[len++] = sep;
		out[len++] = digits[bytes[i] >> 4];
		out[len++] = digits[bytes[i] & 15];
	}
	out[len] = '\0';
	return len;
}

/* v in decimal at out; returns the digit count (no NUL). */
static size_t put_dec(char *out, uint32_t v)
{
	char tmp[10];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

size_t fmt_mac(char out[13], const uint8_t *mac)
{
	return fmt_hex(out, 13, mac, 6, false, '\0');
}

size_t fmt_ip4(char out[16], const uint8_t *ip)
{
	size_t len = 0;

	for (int i = 0; i < 4; i++) {
		if (i)
			out[len++] = '.';
		len += put_dec(out + len, ip[i]);
	}
	out[len] = '\0';
	return len;
}

size_t fmt_ip6(char out[40], const uint8_t *ip)
{
	size_t len = 0;

	for (int i = 0; i < 16; i += 2) {
		if (i)
			out[len++] = ':';
		len += fmt_hex(out + len, 5, ip + i, 2, false, '\0');
	}
	return len;
}

size_t fmt_address(char out[FMT_ADDRESS_LEN], const struct sfl_address *a)
{
	if (a->type == SFL_ADDR_IP4)
		return fmt_ip4(out, a->addr);
	if (a->type == SFL_ADDR_IP6)
		return fmt_ip6(out, a->addr);
	out[0] = '-';
	out[1] = '\0';
	return 1;
}

size_t fmt_uuid(char out[37], const uint8_t *uuid)
{
	static const uint8_t group[] = { 4, 2, 2, 2, 6 };
	size_t len = 0, at = 0;

	for (size_t g = 0; g < sizeof(group); g++) {
		if (g)
			out[len++] = '-';
		len += fmt_hex(out + len, 37 - len, uuid + at, group[g], false, '\0');
		at += group[g];
	}
	return len;
}

size_t fmt_tag(char out[24], uint32_t tag)
{
	size_t len = put_dec(out, tag >> 12);

	out[len++] = ':';
	len += put_dec(out + len, tag & 0xfffu);
	out[len] = '\0';
	return len;
}

size_t fmt_time(char out[64], time_t t)
{
	struct tm tm;

	if (!localtime_r(&t, &tm)) {
		out[0] = '\0';
		return 0;
	}
	return strftime(out, 64, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

size_t fmt_urlencode(char *out, size_t cap, const char *in, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n && in[i] != '\0' && len + 4 <= cap; i++) {
		unsigned char c = (unsigned char)in[i];

		if (isalnum(c)) {
			out[len++] = (char)c;
		} else if (isspace(c)) {
			out[len++] = '+';
		} else {
			out[len++] = '%';
			out[len++] = hex_upper[c & 15];
			out[len++] = hex_upper[c >> 4];
		}
	}
	if (cap)
		out[len] = '\0';
	return len;
}

size_t fmt_cstr_len(const char *s, size_t len, size_t max)
{
	const char *nul;

	if (len > max)
		len = max;
	nul = memchr(s, '\0', len);
	return nul ? (size_t)(nul - s) : len;
}
