/*
 * agent/sender.h: sFlow datagram assembly and UDP output to the collectors
 * of the config, built on sflow/encode.h.
 *
 * Samples are appended to one open datagram of at most datagramBytes; when
 * the next sample does not fit, the open datagram is sent and the sample
 * starts a new one. The owner calls sender_flush() at least once a second
 * (the agent does it from a 1 s loop timer), so no sample waits longer.
 * Every datagram goes to every collector through its own unconnected,
 * non-blocking UDP socket (IPv4 or IPv6, SO_BINDTODEVICE when `dev` is
 * set). A collector with namespace=NAME gets a socket made inside network
 * namespace /var/run/netns/NAME: the thread enters it with setns(), makes
 * the socket and returns (the agent is one thread, so nothing else runs
 * meanwhile); the socket keeps sending from that namespace. setns needs
 * CAP_SYS_ADMIN, which the agent gives up after setup, so a reload reuses
 * the open socket of a collector with the same namespace, dev and address
 * family; a namespace new at reload fails the reload with a clear error.
 * A failing sendto() is counted and logged at most once a minute per
 * collector, never fatal: the datagram is lost for that collector only.
 * The datagram sequence number counts datagrams built (from 1), whether or
 * not a collector took them, so loss shows as gaps, as hsflowd does.
 *
 * Agent address: the agent elects it (agent/links, agent/agent_addr: §5
 * of reference/host-sflow.md) and hands it over with
 * sender_set_agent_address(). Until then, and for a sender used alone,
 * sender_pick_agent_address() gives a first one: agentIP from the config,
 * else the first IPv4 address of an up, non-loopback interface in
 * getifaddrs() order, else the first such global IPv6 address, else
 * 127.0.0.1. A reload keeps the current address unless agentIP is set.
 *
 * Single-threaded: the agent's loop thread only.
 */
#ifndef RTFLOW_AGENT_SENDER_H
#define RTFLOW_AGENT_SENDER_H

#include <stddef.h>
#include <stdint.h>

#include "agent/config.h"
#include "common/log.h"
#include "sflow/encode.h"

#define SENDER_MAX_DATAGRAM_BYTES 9000 /* datagramBytes cap (config allows less) */

struct sender_stats {
	uint64_t datagrams;       /* datagrams built and handed to sendto() */
	uint64_t samples;         /* samples placed in datagrams */
	uint64_t dropped_samples; /* samples larger than a whole datagram */
	uint64_t send_errors;     /* failed sendto() calls, all collectors */
};

struct sender_collector {
	int fd;
	int family;                      /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint16_t port;
	char name[64];                   /* "ip/port" for log lines */
	char netns[AGENT_CONFIG_NAME_BYTES]; /* namespace= ("" = ours) */
	char dev[AGENT_CONFIG_IFNAME_BYTES]; /* dev= ("" = any) */
	struct log_limit err_limit;      /* one sendto error line a minute */
};

struct sender {
	struct sender_collector collectors[AGENT_CONFIG_MAX_COLLECTORS];
	size_t collector_count;
	size_t datagram_bytes;           /* capacity of one datagram */
	struct sfl_datagram_hdr hdr;     /* agent, sub-agent, seq of the open datagram */
	uint32_t seq;                    /* sequence number of the last datagram sent */
	uint64_t start_ms;               /* CLOCK_MONOTONIC at sender_new: uptime 0 */
	struct sfl_encoder enc;
	bool open;                       /* a datagram is being filled */
	struct sender_stats stats;
	uint8_t buf[SENDER_MAX_DATAGRAM_BYTES];
};

/* Fill *out with the agent address rule above. Returns 0. */
int sender_pick_agent_address(const struct agent_config *c, struct sfl_address *out);

/* A sender for config c whose uptime counts from start_ms (CLOCK_MONOTONIC
 * ms), or NULL with *err set (caller frees with free()) when a collector
 * socket cannot be opened. c is not kept. */
struct sender *sender_new(const struct agent_config *c, uint64_t start_ms, char **err);

/* Send any open datagram, close the sockets and free s. NULL is a no-op. */
void sender_free(struct sender *s, uint64_t now_ms);

/* Take a reloaded config: open its collector sockets beside the current
 * ones, and only when all opened send the open datagram to the old
 * collectors and switch to the new ones, agent address, sub-agent id and
 * size. The datagram sequence number and uptime go on. 0, or -1 with *err
 * set (caller frees), the sender unchanged. */
int sender_reconfigure(struct sender *s, const struct agent_config *c, uint64_t now_ms,
		       char **err);

/* Switch to agent address a at now_ms, when it differs from the current
 * one: the open datagram is sent first, then the datagram sequence and
 * uptime restart (1 and 0), since collectors key agents by address. True
 * when the address changed. */
bool sender_set_agent_address(struct sender *s, const struct sfl_address *a, uint64_t now_ms);

/* Append one sample (its header s_hdr and n records) at now_ms. Returns 0
 * when it was placed, -1 when it cannot fit even an empty datagram (it is
 * counted in dropped_samples) or a record cannot be encoded. */
int sender_add_sample(struct sender *s, const struct sfl_sample *s_hdr,
		      const struct sfl_record *recs, size_t n, uint64_t now_ms);

/* Send the open datagram, if any, to every collector, with the uptime of
 * now_ms. */
void sender_flush(struct sender *s, uint64_t now_ms);

#endif
