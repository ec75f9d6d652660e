/*
 * sflow/records_codec.h: private description tables of the record codec.
 *
 * Every known record format is described by a sfl_rec_desc: its tag, its
 * name and a list of fields in wire order, each a type and the offset of
 * its member in the record struct. One interpreter (records.c) walks the
 * list to decode a body into the struct and to encode the struct back, so
 * a format is written down once. Nested lists (AS path, adapters, SFP
 * lanes) are field types of their own. SFL_RF_TAIL marks where the grown
 * forms of host_cpu and jvm_statistics begin: the fields after it are
 * present only when the body is long enough, and such records accept (and
 * ignore) bytes beyond their last field, as later versions may add more.
 *
 * The tables live in records_flow.c and records_counters.c. Each is an
 * array indexed by SFL_REC_SLOT(tag), so finding a format is one load and
 * one compare on the analyzer's hot path; two formats that would share a
 * slot are caught at compile time (-Woverride-init, part of -Wextra,
 * warns about the repeated designated initializer). Not public API.
 */
#ifndef SFL_RECORDS_CODEC_H
#define SFL_RECORDS_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "sflow/records.h"

enum sfl_rec_field_type {
	SFL_RF_U32,       /* `arg` consecutive uint32_t or int32_t members */
	SFL_RF_U64,       /* uint64_t */
	SFL_RF_FLOAT,     /* float, IEEE-754 bit pattern on the wire */
	SFL_RF_IP4,       /* uint8_t[4] */
	SFL_RF_IP6,       /* uint8_t[16] */
	SFL_RF_MAC,       /* uint8_t[6]; 8 bytes on the wire (6 + 2 pad) */
	SFL_RF_UUID,      /* uint8_t[16]; 16 raw bytes, no length word */
	SFL_RF_ADDRESS,   /* struct sfl_address */
	SFL_RF_STR,       /* struct sfl_str; `arg` = max bytes when encoding */
	SFL_RF_BYTES,     /* struct sfl_bytes (variable opaque) */
	SFL_RF_U32_ARRAY, /* struct sfl_u32_array */
	SFL_RF_AS_PATH,   /* struct sfl_list of struct sfl_as_path_segment */
	SFL_RF_ADAPTERS,  /* struct sfl_list of struct sfl_adapter */
	SFL_RF_SFP_LANES, /* struct sfl_list of struct sfl_sfp_lane */
	SFL_RF_TAIL,      /* bool member: whether the optional tail is present */
};

struct sfl_rec_field {
	uint8_t type;    /* enum sfl_rec_field_type */
	uint16_t offset; /* offsetof the member in the record struct */
	uint32_t arg;    /* U32: member count; STR: encode max; else 0 */
};

struct sfl_rec_desc {
	uint32_t tag;
	uint32_t num_fields;
	const char *name;                  /* as in the sFlow specifications; NULL: empty slot */
	const struct sfl_rec_field *fields;
};

/*
 * Slot of a tag in the description arrays. Enterprise 0 formats are
 * grouped by thousands (0..11, 1001..1043, 2000..2210 land in 0..466);
 * the few other enterprises hash into 480..511. Formats outside the range
 * are unknown; a slot is only a hint, the caller compares the tag.
 */
#define SFL_REC_SLOTS 512
#define SFL_REC_SLOT(tag)                                                                   \
	(SFL_TAG_ENTERPRISE(tag) != 0                                                       \
		 ? 480 + (SFL_TAG_ENTERPRISE(tag) + SFL_TAG_FORMAT(tag)) % 32               \
		 : SFL_TAG_FORMAT(tag) / 1000 * 128 + SFL_TAG_FORMAT(tag) % 1000)

/* No limit on a string's length when encoding. */
#define SFL_RF_NO_MAX UINT32_MAX

/*
 * Table-building helpers. F_U32S covers the run of uint32_t members from
 * `first` to `last` inclusive; the members must be adjacent uint32_t (or
 * int32_t), which the round-trip tests catch if a struct changes.
 */
#define SFL_RF(type_, st, member, arg_) { (type_), (uint16_t)offsetof(st, member), (arg_) }
#define SFL_RF_RUN(st, first, last)                                                 \
	{ SFL_RF_U32, (uint16_t)offsetof(st, first),                                \
	  (uint32_t)((offsetof(st, last) - offsetof(st, first)) / 4 + 1) }
#define SFL_REC(tag_, name_, fields_)                                                       \
	[SFL_REC_SLOT(tag_)] = { (tag_), sizeof(fields_) / sizeof((fields_)[0]), (name_), (fields_) }

extern const struct sfl_rec_desc sfl_rec_flow_descs[SFL_REC_SLOTS];
extern const struct sfl_rec_desc sfl_rec_counters_descs[SFL_REC_SLOTS];

#endif
