/*
 * analyzer/flow_val.c: printing and encoding typed key values (see
 * flow_val.h).
 *
 * Encoding: a tag byte (type in the low 4 bits, a small argument in the
 * high 4), then the payload:
 *   TEXT  tag, length byte, the bytes
 *   U64   tag with the payload length 0..8, the value's significant bytes
 *         big-endian (0 has none), so ports and protocols take 1-3 bytes
 *   IP4 4, IP6 16, MAC 6 bytes; BOOL: the value in the tag, no payload
 *   BITS  tag, nbits byte, 4 bytes big-endian; F64 8 bytes (host order:
 *         encodings never leave the process)
 */
#include "analyzer/flow_val.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_addr.h"


static int format_u64(uint64_t v, char *b, size_t cap)
{
	char t[24];

	return flow_text_put(b, cap, t, flow_u64_digits(t, v));
}

static int format_mac(const uint8_t *p, char *b, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[12];

	for (size_t i = 0; i < 6; i++) {
		t[2 * i] = hex[p[i] >> 4];
		t[2 * i + 1] = hex[p[i] & 15];
	}
	return flow_text_put(b, cap, t, 12);
}

int flow_val_format(const struct flow_val *v, char *b, size_t cap)
{
	char t[48];

	switch (v->type) {
	case FLOW_V_TEXT:
		return flow_text_put(b, cap, v->s, v->len);
	case FLOW_V_U64:
		return format_u64(v->u, b, cap);
	case FLOW_V_IP4:
		return flow_text_put(b, cap, t, (size_t)flow_ip4_format(v->a, t));
	case FLOW_V_IP6:
		return inet_ntop(AF_INET6, v->a, t, sizeof(t)) ? flow_text_put(b, cap, t, strlen(t)) : -1;
	case FLOW_V_MAC:
		return format_mac(v->a, b, cap);
	case FLOW_V_BOOL:
		return v->u ? flow_text_put(b, cap, "true", 4) : flow_text_put(b, cap, "false", 5);
	case FLOW_V_BITS:
		for (unsigned i = 0; i < v->nbits && i < 32; i++)
			t[i] = (v->u >> (v->nbits - 1 - i)) & 1 ? '1' : '0';
		return flow_text_put(b, cap, t, v->nbits < 32 ? v->nbits : 32);
	case FLOW_V_F64:
		return flow_text_put(b, cap, t, (size_t)snprintf(t, sizeof(t), "%.17g", v->d));
	default:
		return cap ? (b[0] = '\0', -1) : -1;
	}
}

static size_t u64_bytes(uint64_t u)
{
	size_t n = 0;

	for (; u; u >>= 8)
		n++;
	return n;
}

/* Payload bytes after the tag (TEXT and BITS include their length byte). */
static size_t payload_len(const struct flow_val *v)
{
	static const uint8_t fixed[] = { [FLOW_V_IP4] = 4, [FLOW_V_IP6] = 16, [FLOW_V_MAC] = 6,
					 [FLOW_V_BITS] = 5, [FLOW_V_F64] = 8 };

	if (v->type == FLOW_V_TEXT)
		return 1 + (size_t)(v->len < FLOW_VAL_TEXT_MAX ? v->len : FLOW_VAL_TEXT_MAX);
	if (v->type == FLOW_V_U64)
		return u64_bytes(v->u);
	return v->type < sizeof(fixed) ? fixed[v->type] : 0;
}

size_t flow_val_encode_any(const struct flow_val *v, uint8_t *out, size_t cap)
{
	size_t n = payload_len(v);

	if (v->type == FLOW_V_NULL || v->type > FLOW_V_F64 || 1 + n > cap)
		return 0;
	out[0] = v->type;
	switch (v->type) {
	case FLOW_V_TEXT:
		out[1] = (uint8_t)(n - 1);
		memcpy(out + 2, v->s, n - 1);
		break;
	case FLOW_V_U64:
		out[0] |= (uint8_t)(n << 4);
		for (size_t i = 0; i < n; i++)
			out[1 + i] = (uint8_t)(v->u >> (8 * (n - 1 - i)));
		break;
	case FLOW_V_BOOL:
		out[0] |= (uint8_t)((v->u != 0) << 4);
		break;
	case FLOW_V_BITS:
		out[1] = v->nbits;
		for (size_t i = 0; i < 4; i++)
			out[2 + i] = (uint8_t)(v->u >> (8 * (3 - i)));
		break;
	case FLOW_V_F64:
		memcpy(out + 1, &v->d, 8);
		break;
	default: /* addresses and MACs */
		memcpy(out + 1, v->a, n);
		break;
	}
	return 1 + n;
}

size_t flow_val_decode(const uint8_t *p, size_t len, struct flow_val *v)
{
	size_t n;

	if (len == 0)
		return 0;
	memset(v, 0, sizeof(*v));
	v->type = p[0] & 15;
	switch (v->type) {
	case FLOW_V_TEXT:
		if (len < 2 || len < 2u + p[1])
			return 0;
		v->s = (const char *)p + 2;
		v->len = p[1];
		return 2u + p[1];
	case FLOW_V_U64:
		if ((n = p[0] >> 4) > 8 || len < 1 + n)
			return 0;
		for (size_t i = 0; i < n; i++)
			v->u = v->u << 8 | p[1 + i];
		return 1 + n;
	case FLOW_V_BOOL:
		v->u = p[0] >> 4 & 1;
		return 1;
	case FLOW_V_BITS:
		if (len < 6)
			return 0;
		v->nbits = p[1];
		v->u = (uint32_t)p[2] << 24 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 8 | p[5];
		return 6;
	case FLOW_V_F64:
		if (len < 9)
			return 0;
		memcpy(&v->d, p + 1, 8);
		return 9;
	case FLOW_V_IP4:
	case FLOW_V_IP6:
	case FLOW_V_MAC:
		n = payload_len(v);
		if (len < 1 + n)
			return 0;
		memcpy(v->a, p + 1, n);
		return 1 + n;
	default:
		return 0;
	}
}

int flow_val_format_joined(const uint8_t *enc, size_t len, const char *sep, char *out,
			   size_t cap)
{
	size_t n = 0, seplen = strlen(sep), off = 0;

	if (cap == 0)
		return -1;
	out[0] = '\0';
	while (off < len) {
		struct flow_val v;
		size_t used = flow_val_decode(enc + off, len - off, &v);
		int w;

		if (used == 0)
			return -1;
		off += used;
		if (n > 0)
			n += (size_t)flow_text_put(out + n, cap - n, sep, seplen);
		w = flow_val_format(&v, out + n, cap - n);
		n += w > 0 ? (size_t)w : 0;
	}
	return (int)n;
}

bool flow_val_number(const struct flow_val *v, double *out)
{
	char b[64], *end;

	switch (v->type) {
	case FLOW_V_U64:
		*out = (double)v->u;
		return true;
	case FLOW_V_F64:
		*out = v->d;
		return true;
	case FLOW_V_TEXT:
	case FLOW_V_BITS:
		if (flow_val_format(v, b, sizeof(b)) <= 0)
			return false;
		*out = strtod(b, &end);
		return *end == '\0';
	default:
		return false;
	}
}
