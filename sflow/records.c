/*
 * sflow/records.c: typed decode and encode of flow and counter records.
 *
 * A record format is found by its slot in the description tables of
 * records_flow.c / records_counters.c (one load), then one interpreter walks
 * its field list: sfl_record_decode() reads the body with a bounded reader
 * into the record struct, sfl_record_encode_body() writes the struct back
 * in the same order, so the two cannot drift apart. Decoding is zero-copy:
 * strings, opaque bytes, u32 arrays and nested lists point into the body.
 * Nested lists are validated completely while decoding (every count is
 * checked against the bytes left before it is multiplied), so their
 * iterators cannot fail on a decoded record. Nothing here allocates; the
 * code is reentrant and keeps no state.
 */
#include "sflow/records.h"

#include <string.h>

#include "sflow/decode.h"
#include "sflow/encode.h"
#include "sflow/records_codec.h"
#include "sflow/xdr_read.h"
#include "sflow/xdr_write.h"

#define SFL_SFP_LANE_BYTES 40 /* 10 words per lane */

/* The description of format `tag` of `kind`, or NULL when it is unknown. */
static inline const struct sfl_rec_desc *find_desc(enum sfl_record_kind kind, uint32_t tag)
{
	const struct sfl_rec_desc *t =
		kind == SFL_KIND_FLOW ? sfl_rec_flow_descs : sfl_rec_counters_descs;
	uint32_t slot;

	/* Large formats would wrap the slot arithmetic: they are unknown. */
	if (SFL_TAG_FORMAT(tag) >= 3000)
		return NULL;
	slot = SFL_REC_SLOT(tag);
	if (slot >= SFL_REC_SLOTS || !t[slot].name || t[slot].tag != tag)
		return NULL;
	return &t[slot];
}

bool sfl_record_known(enum sfl_record_kind kind, uint32_t tag)
{
	return find_desc(kind, tag) != NULL;
}

const char *sfl_record_name(enum sfl_record_kind kind, uint32_t tag)
{
	const struct sfl_rec_desc *d = find_desc(kind, tag);

	return d ? d->name : NULL;
}

/* ---- list iterators ---- */

void sfl_list_iter_init(struct sfl_list_iter *it, const struct sfl_list *list)
{
	it->list = list;
	it->index = 0;
	it->offset = 0;
}

/*
 * The next element of a decoded list, when `need` more bytes are there,
 * else NULL. Decoded lists were validated, so NULL only comes from a list
 * that was built by hand in the xdr form.
 */
static const uint8_t *iter_xdr(const struct sfl_list_iter *it, size_t need)
{
	const struct sfl_list *l = it->list;

	if (!l->xdr || l->xdr_len - it->offset < need)
		return NULL;
	return l->xdr + it->offset;
}

bool sfl_as_path_next(struct sfl_list_iter *it, struct sfl_as_path_segment *seg)
{
	const struct sfl_list *l = it->list;
	const uint8_t *p;
	uint32_t n;

	if (it->index >= l->count)
		return false;
	if (l->host) {
		*seg = ((const struct sfl_as_path_segment *)l->host)[it->index++];
		return true;
	}
	p = iter_xdr(it, 8);
	if (!p)
		return false;
	n = sfl_load_u32(p + 4);
	if (n > (l->xdr_len - it->offset - 8) / 4)
		return false;
	seg->type = sfl_load_u32(p);
	seg->asns.xdr = p + 8;
	seg->asns.host = NULL;
	seg->asns.count = n;
	it->offset += 8 + 4 * (size_t)n;
	it->index++;
	return true;
}

bool sfl_adapter_next(struct sfl_list_iter *it, struct sfl_adapter *ad)
{
	const struct sfl_list *l = it->list;
	const uint8_t *p;
	uint32_t n;

	if (it->index >= l->count)
		return false;
	if (l->host) {
		*ad = ((const struct sfl_adapter *)l->host)[it->index++];
		return true;
	}
	p = iter_xdr(it, 8);
	if (!p)
		return false;
	n = sfl_load_u32(p + 4);
	if (n > (l->xdr_len - it->offset - 8) / 8)
		return false;
	ad->ifindex = sfl_load_u32(p);
	ad->num_macs = n;
	ad->macs = p + 8;
	ad->macs_xdr = true;
	it->offset += 8 + 8 * (size_t)n;
	it->index++;
	return true;
}

bool sfl_sfp_lane_next(struct sfl_list_iter *it, struct sfl_sfp_lane *lane)
{
	const struct sfl_list *l = it->list;
	const uint8_t *p;

	if (it->index >= l->count)
		return false;
	if (l->host) {
		*lane = ((const struct sfl_sfp_lane *)l->host)[it->index++];
		return true;
	}
	p = iter_xdr(it, SFL_SFP_LANE_BYTES);
	if (!p)
		return false;
	lane->index = sfl_load_u32(p);
	lane->tx_bias_current_ua = sfl_load_u32(p + 4);
	lane->tx_power_uw = sfl_load_u32(p + 8);
	lane->tx_power_min_uw = sfl_load_u32(p + 12);
	lane->tx_power_max_uw = sfl_load_u32(p + 16);
	lane->tx_wavelength_nm = sfl_load_u32(p + 20);
	lane->rx_power_uw = sfl_load_u32(p + 24);
	lane->rx_power_min_uw = sfl_load_u32(p + 28);
	lane->rx_power_max_uw = sfl_load_u32(p + 32);
	lane->rx_wavelength_nm = sfl_load_u32(p + 36);
	it->offset += SFL_SFP_LANE_BYTES;
	it->index++;
	return true;
}

const uint8_t *sfl_adapter_mac(const struct sfl_adapter *ad, uint32_t i)
{
	return ad->macs + (size_t)i * (ad->macs_xdr ? 8 : 6);
}

/* ---- decoding ---- */

/* Skip `n` elements of `size` bytes: the count is checked against the
 * bytes left before it is multiplied, so it cannot overflow. */
static bool skip_elements(struct sfl_reader *r, uint32_t n, size_t size)
{
	if (r->bad || n > sfl_reader_left(r) / size) {
		r->bad = true;
		return false;
	}
	r->p += (size_t)n * size;
	return true;
}

static void read_u32_array(struct sfl_reader *r, struct sfl_u32_array *a)
{
	uint32_t n = sfl_read_u32(r);
	const uint8_t *start = r->p;

	a->xdr = NULL;
	a->host = NULL;
	a->count = 0;
	if (skip_elements(r, n, 4)) {
		a->xdr = start;
		a->count = n;
	}
}

static void read_str(struct sfl_reader *r, const uint8_t **ptr, uint32_t *len)
{
	uint32_t n = sfl_read_u32(r);

	*len = 0;
	*ptr = NULL;
	if (r->bad || n > sfl_reader_left(r)) {
		r->bad = true;
		return;
	}
	*ptr = sfl_read_fixed(r, n);
	if (*ptr)
		*len = n;
}

/*
 * Walk a nested list, validating every element, and store it in the
 * zero-copy form. `hdr` is the fixed bytes of an element, `inner` the size
 * of the units its second word counts (0: no inner array; else the fixed
 * part is exactly two words: segment type or ifIndex, then the count).
 */
static void read_list(struct sfl_reader *r, struct sfl_list *l, size_t hdr, size_t inner)
{
	uint32_t n = sfl_read_u32(r);
	const uint8_t *start = r->p;

	memset(l, 0, sizeof(*l));
	if (r->bad || n > sfl_reader_left(r) / hdr) {
		r->bad = true;
		return;
	}
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		if (inner == 0) {
			r->p += hdr;
			continue;
		}
		sfl_read_u32(r); /* segment type or ifIndex */
		skip_elements(r, sfl_read_u32(r), inner);
	}
	if (r->bad)
		return;
	l->xdr = start;
	l->xdr_len = (size_t)(r->p - start);
	l->count = n;
}

static enum sfl_error_code read_address(struct sfl_reader *r, struct sfl_address *a)
{
	const uint8_t *p = NULL;

	a->type = sfl_read_u32(r);
	memset(a->addr, 0, sizeof(a->addr));
	switch (a->type) {
	case SFL_ADDR_UNKNOWN:
		break;
	case SFL_ADDR_IP4:
		p = sfl_read_fixed(r, 4);
		if (p)
			memcpy(a->addr, p, 4);
		break;
	case SFL_ADDR_IP6:
		p = sfl_read_fixed(r, 16);
		if (p)
			memcpy(a->addr, p, 16);
		break;
	default:
		if (r->bad)
			break;
		r->p -= 4; /* report the offset of the type word */
		return SFL_ERR_ADDRESS;
	}
	return r->bad ? SFL_ERR_TRUNCATED : SFL_ERR_NONE;
}

/* Copy `n` fixed bytes (padded on the wire) into `dst`. */
static void read_raw(struct sfl_reader *r, uint8_t *dst, size_t n)
{
	const uint8_t *p = sfl_read_fixed(r, n);

	if (p)
		memcpy(dst, p, n);
}

/*
 * Copy `n` 32-bit words from `src` to `dst`, each turned between host and
 * network byte order (the same operation in both directions, so decode
 * and encode share it). Counter runs are most of what the host and switch
 * records hold, so on little-endian hosts four words go at a time through
 * a 16-byte vector with plain shifts (SSE2/NEON, no byte shuffle needed);
 * the scalar loop does the rest, and all of it on other hosts. Neither
 * pointer needs any alignment.
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SFL_SWAP_VECTOR 1
typedef uint32_t sfl_v4u32 __attribute__((vector_size(16)));
#else
#define SFL_SWAP_VECTOR 0
#endif

static inline void swap_words(uint8_t *dst, const uint8_t *src, size_t n)
{
	size_t i = 0;

#if SFL_SWAP_VECTOR
	for (; i + 4 <= n; i += 4) {
		sfl_v4u32 x;

		memcpy(&x, src + 4 * i, sizeof(x));
		x = x << 16 | x >> 16;                          /* swap the halves */
		x = (x & 0x00ff00ffu) << 8 | (x >> 8 & 0x00ff00ffu); /* and their bytes */
		memcpy(dst + 4 * i, &x, sizeof(x));
	}
#endif
	for (; i < n; i++) {
		uint32_t v;

		memcpy(&v, src + 4 * i, sizeof(v));
		sfl_store_u32(dst + 4 * i, v);
	}
}

/* `n` adjacent 32-bit members (the common case: counter runs). */
static inline bool read_u32s(struct sfl_reader *r, uint8_t *m, uint32_t n)
{
	if (!sfl_reader_need(r, 4 * (size_t)n))
		return false;
	swap_words(m, r->p, n);
	r->p += 4 * (size_t)n;
	return true;
}

static inline bool read_u64s(struct sfl_reader *r, uint8_t *m, uint32_t n)
{
	if (!sfl_reader_need(r, 8 * (size_t)n))
		return false;
	for (uint32_t i = 0; i < n; i++, r->p += 8)
		*(uint64_t *)(m + 8 * (size_t)i) =
			(uint64_t)sfl_load_u32(r->p) << 32 | sfl_load_u32(r->p + 4);
	return true;
}

/* Decode one field into member `m`. */
static enum sfl_error_code decode_field(const struct sfl_rec_field *f, struct sfl_reader *r,
					uint8_t *m)
{
	switch (f->type) {
	case SFL_RF_U32:
		read_u32s(r, m, f->arg);
		break;
	case SFL_RF_U64:
		read_u64s(r, m, f->arg);
		break;
	case SFL_RF_FLOAT: {
		float v = sfl_read_float(r);

		memcpy(m, &v, sizeof(v));
		break;
	}
	case SFL_RF_IP4:
		read_raw(r, m, 4);
		break;
	case SFL_RF_IP6:
	case SFL_RF_UUID:
		read_raw(r, m, 16);
		break;
	case SFL_RF_MAC:
		read_raw(r, m, 6);
		break;
	case SFL_RF_ADDRESS:
		return read_address(r, (struct sfl_address *)m);
	case SFL_RF_STR: {
		struct sfl_str *s = (struct sfl_str *)m;
		const uint8_t *p;

		read_str(r, &p, &s->len);
		s->ptr = (const char *)p;
		break;
	}
	case SFL_RF_BYTES: {
		struct sfl_bytes *b = (struct sfl_bytes *)m;

		read_str(r, &b->ptr, &b->len);
		break;
	}
	case SFL_RF_U32_ARRAY:
		read_u32_array(r, (struct sfl_u32_array *)m);
		break;
	case SFL_RF_AS_PATH:
		read_list(r, (struct sfl_list *)m, 8, 4);
		break;
	case SFL_RF_ADAPTERS:
		read_list(r, (struct sfl_list *)m, 8, 8);
		break;
	case SFL_RF_SFP_LANES:
		read_list(r, (struct sfl_list *)m, SFL_SFP_LANE_BYTES, 0);
		break;
	default:
		break;
	}
	return r->bad ? SFL_ERR_TRUNCATED : SFL_ERR_NONE;
}

/* Zero the members of fields[from..] (only counters follow a tail). */
static void zero_tail(const struct sfl_rec_desc *d, uint32_t from, uint8_t *v)
{
	for (uint32_t i = from; i < d->num_fields; i++) {
		const struct sfl_rec_field *f = &d->fields[i];

		if (f->type == SFL_RF_U32)
			memset(v + f->offset, 0, 4 * (size_t)f->arg);
		else if (f->type == SFL_RF_U64)
			memset(v + f->offset, 0, 8 * (size_t)f->arg);
	}
}

/*
 * Decode the fields of `d` into `v`. *grown is set when the format has an
 * optional tail (then bytes after the last field are allowed).
 */
static enum sfl_error_code decode_fields(const struct sfl_rec_desc *d, struct sfl_reader *r,
					 uint8_t *v, bool *grown)
{
	for (uint32_t i = 0; i < d->num_fields; i++) {
		const struct sfl_rec_field *f = &d->fields[i];
		enum sfl_error_code code;

		/* Counter runs first, without the switch: most records are only these. */
		if (f->type == SFL_RF_U32) {
			if (!read_u32s(r, v + f->offset, f->arg))
				return SFL_ERR_TRUNCATED;
			continue;
		}
		if (f->type == SFL_RF_U64) {
			if (!read_u64s(r, v + f->offset, f->arg))
				return SFL_ERR_TRUNCATED;
			continue;
		}
		if (f->type == SFL_RF_TAIL) {
			bool present = sfl_reader_left(r) != 0;

			*(bool *)(v + f->offset) = present;
			*grown = true;
			if (!present) {
				zero_tail(d, i + 1, v);
				break;
			}
			continue;
		}
		code = decode_field(f, r, v + f->offset);
		if (code != SFL_ERR_NONE)
			return code;
	}
	return SFL_ERR_NONE;
}

static void set_error(struct sfl_error *err, enum sfl_error_code code, uint32_t offset,
		      const char *what, uint32_t expected, uint32_t found)
{
	err->code = code;
	err->offset = offset;
	err->what = what;
	err->expected = expected;
	err->found = found;
}

int sfl_record_decode(struct sfl_record *rec, uint32_t offset, struct sfl_error *err)
{
	static const uint8_t empty[4];
	const struct sfl_rec_desc *d = find_desc(rec->kind, rec->tag);
	const uint8_t *body = rec->body ? rec->body : empty;
	struct sfl_reader r;
	enum sfl_error_code code;
	bool grown = false;
	uint32_t used;

	rec->known = false;
	if (!d)
		return 0;
	sfl_reader_init(&r, body, body, rec->body ? rec->len : 0);
	code = decode_fields(d, &r, (uint8_t *)&rec->v, &grown);
	used = sfl_reader_offset(&r);
	if (code != SFL_ERR_NONE) {
		set_error(err, code, offset + used, d->name, rec->len, used);
		return -1;
	}
	if (used != rec->len && !grown) {
		set_error(err, SFL_ERR_LENGTH, offset, d->name, rec->len, used);
		return -1;
	}
	rec->known = true;
	return 0;
}

/* ---- encoding ---- */

/*
 * The decoded body a record's pointers may point into. Strings and opaque
 * bytes found inside it are written with the padding they had on the wire:
 * some senders (hsflowd) leave garbage there, and a decoded record must
 * re-encode byte for byte. Outside it, padding is zeros and nothing past
 * the caller's `len` bytes is read.
 */
struct wire_range {
	uintptr_t lo, hi; /* [lo, hi), or 0, 0 */
};

static bool in_wire(const struct wire_range *wire, const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p;

	return wire->lo && a >= wire->lo && a <= wire->hi && n <= wire->hi - a;
}

static int write_u32_array(struct sfl_writer *w, const struct sfl_u32_array *a)
{
	if (a->count && !a->host && !a->xdr)
		return -1;
	sfl_write_u32(w, a->count);
	if (a->host) {
		for (uint32_t i = 0; i < a->count; i++)
			sfl_write_u32(w, a->host[i]);
	} else {
		sfl_write_fixed(w, a->xdr, 4 * (size_t)a->count);
	}
	return 0;
}

static int write_bytes(struct sfl_writer *w, const void *ptr, uint32_t len, uint32_t max,
		       const struct wire_range *wire)
{
	if (len > max)
		len = max;
	if (len && !ptr)
		return -1;
	if (len && in_wire(wire, ptr, sfl_pad4(len))) {
		sfl_write_u32(w, len);
		sfl_write_fixed(w, ptr, sfl_pad4(len));
		return 0;
	}
	sfl_write_opaque(w, ptr, len);
	return 0;
}

static int write_address(struct sfl_writer *w, const struct sfl_address *a)
{
	switch (a->type) {
	case SFL_ADDR_UNKNOWN:
		sfl_write_u32(w, a->type);
		return 0;
	case SFL_ADDR_IP4:
		sfl_write_u32(w, a->type);
		sfl_write_fixed(w, a->addr, 4);
		return 0;
	case SFL_ADDR_IP6:
		sfl_write_u32(w, a->type);
		sfl_write_fixed(w, a->addr, 16);
		return 0;
	default:
		return -1;
	}
}

/*
 * One bounds check covers a run, and w->p is read once for it: a store
 * through a byte pointer may alias the writer struct, so writing each word
 * via w->p would make the compiler reload and store it back every time.
 */
static inline void write_u32s(struct sfl_writer *w, const uint8_t *m, uint32_t n)
{
	if (!sfl_writer_room(w, 4 * (size_t)n))
		return;
	swap_words(w->p, m, n);
	w->p += 4 * (size_t)n;
}

static inline void write_u64s(struct sfl_writer *w, const uint8_t *m, uint32_t n)
{
	uint8_t *p = w->p;

	if (!sfl_writer_room(w, 8 * (size_t)n))
		return;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t v;

		memcpy(&v, m + 8 * (size_t)i, sizeof(v));
		sfl_store_u32(p + 8 * (size_t)i, (uint32_t)(v >> 32));
		sfl_store_u32(p + 8 * (size_t)i + 4, (uint32_t)v);
	}
	w->p = p + 8 * (size_t)n;
}

/* The list writers return -1 when a list yields fewer elements than its
 * count says (a list built by hand with missing data). */
static int write_as_path(struct sfl_writer *w, const struct sfl_list *l)
{
	struct sfl_list_iter it;
	struct sfl_as_path_segment seg;
	uint32_t n = 0;

	sfl_write_u32(w, l->count);
	sfl_list_iter_init(&it, l);
	while (sfl_as_path_next(&it, &seg)) {
		sfl_write_u32(w, seg.type);
		if (write_u32_array(w, &seg.asns) == -1)
			return -1;
		n++;
	}
	return n == l->count ? 0 : -1;
}

static int write_adapters(struct sfl_writer *w, const struct sfl_list *l)
{
	struct sfl_list_iter it;
	struct sfl_adapter ad;
	uint32_t n = 0;

	sfl_write_u32(w, l->count);
	sfl_list_iter_init(&it, l);
	while (sfl_adapter_next(&it, &ad)) {
		if (ad.num_macs && !ad.macs)
			return -1;
		sfl_write_u32(w, ad.ifindex);
		sfl_write_u32(w, ad.num_macs);
		/* Wire slots are 8 bytes: copy them whole, padding included.
		 * Constant sizes let the compiler inline the copies. */
		for (uint32_t i = 0; i < ad.num_macs; i++) {
			if (ad.macs_xdr)
				sfl_write_fixed(w, sfl_adapter_mac(&ad, i), 8);
			else
				sfl_write_fixed(w, sfl_adapter_mac(&ad, i), 6);
		}
		n++;
	}
	return n == l->count ? 0 : -1;
}

static int write_sfp_lanes(struct sfl_writer *w, const struct sfl_list *l)
{
	struct sfl_list_iter it;
	struct sfl_sfp_lane lane;
	uint32_t n = 0;

	sfl_write_u32(w, l->count);
	sfl_list_iter_init(&it, l);
	while (sfl_sfp_lane_next(&it, &lane)) {
		sfl_write_u32(w, lane.index);
		sfl_write_u32(w, lane.tx_bias_current_ua);
		sfl_write_u32(w, lane.tx_power_uw);
		sfl_write_u32(w, lane.tx_power_min_uw);
		sfl_write_u32(w, lane.tx_power_max_uw);
		sfl_write_u32(w, lane.tx_wavelength_nm);
		sfl_write_u32(w, lane.rx_power_uw);
		sfl_write_u32(w, lane.rx_power_min_uw);
		sfl_write_u32(w, lane.rx_power_max_uw);
		sfl_write_u32(w, lane.rx_wavelength_nm);
		n++;
	}
	return n == l->count ? 0 : -1;
}

/*
 * Encode one field from member `m`. 0, or -1 if it cannot be encoded.
 * Scalar fields and SFL_RF_TAIL are handled by encode_fields().
 */
static int encode_field(struct sfl_writer *w, const struct sfl_rec_field *f, const uint8_t *m,
			const struct wire_range *wire)
{
	switch (f->type) {
	case SFL_RF_IP4:
		sfl_write_fixed(w, m, 4);
		return 0;
	case SFL_RF_IP6:
	case SFL_RF_UUID:
		sfl_write_fixed(w, m, 16);
		return 0;
	case SFL_RF_MAC:
		sfl_write_fixed(w, m, 6);
		return 0;
	case SFL_RF_ADDRESS:
		return write_address(w, (const struct sfl_address *)m);
	case SFL_RF_STR: {
		const struct sfl_str *s = (const struct sfl_str *)m;

		return write_bytes(w, s->ptr, s->len, f->arg, wire);
	}
	case SFL_RF_BYTES: {
		const struct sfl_bytes *b = (const struct sfl_bytes *)m;

		return write_bytes(w, b->ptr, b->len, SFL_RF_NO_MAX, wire);
	}
	case SFL_RF_U32_ARRAY:
		return write_u32_array(w, (const struct sfl_u32_array *)m);
	case SFL_RF_AS_PATH:
		return write_as_path(w, (const struct sfl_list *)m);
	case SFL_RF_ADAPTERS:
		return write_adapters(w, (const struct sfl_list *)m);
	case SFL_RF_SFP_LANES:
		return write_sfp_lanes(w, (const struct sfl_list *)m);
	default:
		return -1;
	}
}

/*
 * The fixed-size scalar fields, nearly all that a counter record holds,
 * are written here without going through encode_field()'s switch. A float
 * goes out as its bit pattern, which is what write_u32s() copies.
 */
static int encode_fields(struct sfl_writer *w, const struct sfl_rec_desc *d,
			 const union sfl_record_value *v, const struct wire_range *wire)
{
	const uint8_t *base = (const uint8_t *)v;
	const struct sfl_rec_field *f = d->fields, *end = d->fields + d->num_fields;

	for (; f < end; f++) {
		const uint8_t *m = base + f->offset;

		if (f->type == SFL_RF_U32)
			write_u32s(w, m, f->arg);
		else if (f->type == SFL_RF_U64)
			write_u64s(w, m, f->arg);
		else if (f->type == SFL_RF_FLOAT)
			write_u32s(w, m, 1);
		else if (f->type == SFL_RF_TAIL) {
			if (!*(const bool *)m)
				break;
		} else if (encode_field(w, f, m, wire) == -1) {
			return -1;
		}
	}
	return 0;
}

int sfl_record_encode_body(struct sfl_writer *w, enum sfl_record_kind kind, uint32_t tag,
			   const union sfl_record_value *v)
{
	static const struct wire_range none = { 0, 0 };
	const struct sfl_rec_desc *d = find_desc(kind, tag);

	if (!d || !v)
		return -1;
	return encode_fields(w, d, v, &none);
}

int sfl_record_encode(struct sfl_writer *w, const struct sfl_record *rec)
{
	const struct sfl_rec_desc *d = find_desc(rec->kind, rec->tag);
	struct wire_range wire = { 0, 0 };

	if (!d)
		return -1;
	if (rec->body && rec->len) {
		wire.lo = (uintptr_t)rec->body;
		wire.hi = wire.lo + rec->len;
	}
	return encode_fields(w, d, &rec->v, &wire);
}
