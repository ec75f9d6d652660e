/*
 * agent/config.h: rtflow-agent's configuration, read from hsflowd.conf
 * syntax (reference/host-sflow.md §2). agent_config_parse() is a pure
 * function over text: no files, no DNS, no globals. It fills a struct
 * agent_config from tables of keys (struct agent_config_key, one table per
 * block) that the parser walks; a later module adds its block by adding a
 * struct agent_config_block with its own key table (agent/config_keys.c)
 * and leaving the list of refused module names.
 *
 * Errors read "file:line: reason", newline-separated, through char **err;
 * the parser keeps going after an error where it is safe (up to
 * AGENT_CONFIG_MAX_ERRORS) and fails if there was any. Accepted keys that
 * rtflow does not act on yet become warnings in the returned config. All
 * sizes are capped (AGENT_CONFIG_MAX_*). The config is immutable after
 * parsing and may be read from any thread.
 */
#ifndef RTFLOW_AGENT_CONFIG_H
#define RTFLOW_AGENT_CONFIG_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define AGENT_CONFIG_MAX_BYTES (1u << 20) /* config file size */
#define AGENT_CONFIG_MAX_DEPTH 3          /* nesting of { } blocks */
#define AGENT_CONFIG_MAX_COLLECTORS 16
#define AGENT_CONFIG_MAX_PCAPS 32
#define AGENT_CONFIG_MAX_CIDRS 32     /* agent.cidr lines */
#define AGENT_CONFIG_MAX_RATES 32     /* sampling.<x> or polling.<x> lines, each */
#define AGENT_CONFIG_MAX_ERRORS 20    /* reported before giving up */
#define AGENT_CONFIG_MAX_WARNINGS 64
#define AGENT_CONFIG_IFNAME_BYTES 16  /* IFNAMSIZ */
#define AGENT_CONFIG_NAME_BYTES 64    /* netns names */
#define AGENT_CONFIG_TEXT_BYTES 256   /* regexes, paths: a token fits */

/* Defaults of hsflowd (reference/host-sflow.md §2.2, §2.3). */
#define AGENT_CONFIG_SAMPLING_UNKNOWN_SPEED 400 /* no sampling key, ifSpeed unknown */
#define AGENT_CONFIG_SAMPLING_MIN_DEFAULT 100   /* floor of ifSpeed/1e6 */

struct agent_config_opt_u32 {
	bool set;       /* the key appeared */
	uint32_t value;
};

struct agent_config_ip {
	int family;        /* 0 (unset), AF_INET or AF_INET6 */
	uint8_t addr[16];  /* network order; 4 bytes used for AF_INET */
};

struct agent_config_cidr {
	struct agent_config_ip ip;
	uint8_t prefix_len;
	bool exclude;      /* written "!a.b.c.d/n" */
};

struct agent_config_cidrs {
	size_t count;
	struct agent_config_cidr v[AGENT_CONFIG_MAX_CIDRS]; /* in file order: earlier wins */
};

/* One sampling.<x> / polling.<x> line. */
struct agent_config_rate {
	char name[32];      /* the <x>, as written */
	bool is_speed;      /* <x> is an interface speed ("10G") */
	uint64_t speed_bps; /* when is_speed */
	uint32_t value;
};

struct agent_config_rates {
	size_t count;
	struct agent_config_rate v[AGENT_CONFIG_MAX_RATES];
};

struct agent_config_uuid {
	bool set;
	uint8_t bytes[16];
};

struct agent_config_speeds {
	bool set;
	uint64_t min_bps, max_bps; /* inclusive; "1G-" has max UINT64_MAX */
};

struct agent_config_regex {
	bool set;
	char text[AGENT_CONFIG_TEXT_BYTES];
	regex_t re; /* POSIX extended, unanchored, compiled when set */
};

struct agent_config_collector {
	struct agent_config_ip ip;
	uint32_t udp_port;                        /* 1..65535, default 6343 */
	char dev[AGENT_CONFIG_IFNAME_BYTES];      /* "" = any; else bind to this device (VRF) */
	char netns[AGENT_CONFIG_NAME_BYTES];      /* "" = ours; else /var/run/netns/<netns> */
	unsigned line;                            /* where the block opened */
};

struct agent_config_pcap {
	char dev[AGENT_CONFIG_IFNAME_BYTES];      /* "" = not a condition */
	struct agent_config_regex dev_pattern;
	struct agent_config_speeds speed;
	bool promisc;
	struct agent_config_opt_u32 sampling;     /* 1-in-N for the interfaces this block takes */
	unsigned line;
};

struct agent_config {
	struct agent_config_opt_u32 sampling;     /* sampling / packetSamplingRate */
	struct agent_config_opt_u32 bps_ratio;    /* sampling.bps_ratio */
	struct agent_config_rates sampling_rates; /* sampling.<x> */
	uint32_t polling_s;                       /* 0..300, 0 = counters off */
	struct agent_config_rates polling_rates;  /* polling.<x> */
	uint32_t header_bytes;
	uint32_t datagram_bytes;
	struct agent_config_ip agent_ip;          /* agentIP */
	char agent_dev[AGENT_CONFIG_IFNAME_BYTES];/* agent */
	struct agent_config_cidrs agent_cidrs;    /* agent.cidr */
	uint32_t sub_agent_id;
	struct agent_config_uuid uuid;

	size_t collector_count;
	struct agent_config_collector collectors[AGENT_CONFIG_MAX_COLLECTORS];
	size_t pcap_count;
	struct agent_config_pcap pcaps[AGENT_CONFIG_MAX_PCAPS];

	char **warnings;      /* "file:line: key: ..." each; owned by the config */
	size_t warning_count;
};

/* The value types the parser knows; each has a parser and a printer. */
enum agent_config_type {
	AGENT_CONFIG_U32,     /* uint32_t; decimal with K/M/G (x1000) suffixes */
	AGENT_CONFIG_OPT_U32, /* struct agent_config_opt_u32 */
	AGENT_CONFIG_BOOL,    /* bool: on/off, yes/no, true/false, 1/0 */
	AGENT_CONFIG_IFNAME,  /* char[16]: a network device name */
	AGENT_CONFIG_NAME,    /* char[size]: a netns name (no '/', not . or ..) */
	AGENT_CONFIG_TEXT,    /* char[size]: any word */
	AGENT_CONFIG_IP,      /* struct agent_config_ip: IPv4 or IPv6 literal */
	AGENT_CONFIG_CIDR,    /* appended to struct agent_config_cidrs */
	AGENT_CONFIG_UUID,    /* struct agent_config_uuid: 8-4-4-4-12 hex */
	AGENT_CONFIG_SPEEDS,  /* struct agent_config_speeds: a, a-b, a- with K/M/G/T/P */
	AGENT_CONFIG_REGEX,   /* struct agent_config_regex */
	AGENT_CONFIG_RATES,   /* "<key>.<x>": appended to struct agent_config_rates */
};

#define AGENT_CONFIG_INERT 1u  /* accepted and checked, not acted on: warn; size 0 = not kept */
#define AGENT_CONFIG_REPEAT 2u /* may appear several times (lists) */
#define AGENT_CONFIG_ALIAS 4u  /* another name of the key before it: not printed */

/* One accepted key of a block. A name ending in '.' takes any "<name><x>"
 * (sampling.<x>); exact names are looked up first. */
struct agent_config_key {
	const char *name;            /* case-insensitive, as hsflowd */
	enum agent_config_type type;
	size_t offset, size;         /* the field in the block's instance */
	uint32_t min, max;           /* AGENT_CONFIG_U32, OPT_U32, RATES */
	const char *def;             /* default as config text, NULL = none */
	unsigned flags;              /* AGENT_CONFIG_INERT, AGENT_CONFIG_REPEAT */
	const char *desc;            /* one line, printed by --check */
};

/* A block inside sflow { }: its instances live in an array of struct
 * agent_config (array_offset, count_offset), at most max of them. */
struct agent_config_block {
	const char *name;
	const struct agent_config_key *keys; /* ends with a { NULL } entry */
	size_t size;                          /* bytes of one instance */
	size_t array_offset, count_offset, line_offset;
	size_t max;
	/* Whole-block rules after its '}'; writes a reason and returns -1. */
	int (*check)(const void *inst, char *why, size_t why_len);
};

/* Parse text[0..len) (need not be NUL-terminated) read from `file` (used
 * only in messages). Returns a new config, or NULL with *err set to the
 * newline-separated "file:line: reason" messages (caller frees *err with
 * free()). err may be NULL. Caller frees the config with agent_config_free. */
struct agent_config *agent_config_parse(const char *text, size_t len, const char *file,
					char **err);

/* Free a config from agent_config_parse; NULL is a no-op. */
void agent_config_free(struct agent_config *c);

/* 1-in-N rate for device `dev` of speed speed_bps (0 = unknown), by the
 * rule of agent/config.c (pcap { sampling } > sampling.<speed> >
 * sampling.bps_ratio > sampling > hsflowd's default). 0 means "do not
 * sample". Whether the interface is up is the caller's business. */
uint32_t agent_config_sampling_for(const struct agent_config *c, const char *dev,
				   uint64_t speed_bps);

/* The first pcap block that takes `dev` (every condition it names holds:
 * dev, dev.pattern, speed), or NULL. */
const struct agent_config_pcap *agent_config_pcap_for(const struct agent_config *c,
						      const char *dev, uint64_t speed_bps);

/* Print the effective settings, defaults included, in hsflowd.conf syntax
 * that parses back to the same config (for --check). Returns 0, or -1 on a
 * write error. */
int agent_config_print(const struct agent_config *c, FILE *f);

#endif
