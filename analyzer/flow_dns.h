/*
 * analyzer/flow_dns.h: reverse DNS names for the dns: key function, with
 * c-ares on a resolver thread and a bounded cache (flow_dns.c). A lookup
 * never blocks its caller: until a name is known the address stands for
 * itself.
 */
#ifndef RTFLOW_ANALYZER_FLOW_DNS_H
#define RTFLOW_ANALYZER_FLOW_DNS_H

#include <stddef.h>
#include <stdint.h>

struct flow_dns;

struct flow_dns_config {
	const char *servers; /* dns.servers: "ip[:port],..."; NULL or "": resolv.conf */
	uint32_t cache_max;  /* names cached (0: 10000) */
	uint32_t ttl_s;      /* a name is kept this long (0: 600) */
	uint32_t neg_ttl_s;  /* a failure is kept this long (0: 60) */
	uint32_t timeout_ms; /* per try (0: 2000) */
	uint32_t tries;      /* (0: 2) */
};

struct flow_dns_stats {
	uint64_t lookups, hits, misses, queued, queue_drops, answers, failures, timeouts, evictions;
};

/* A resolver (its thread started), or NULL with a reason. */
struct flow_dns *flow_dns_new(const struct flow_dns_config *cfg, char *err, size_t errlen);
void flow_dns_free(struct flow_dns *d);
void flow_dns_stats(struct flow_dns *d, struct flow_dns_stats *out);

/* The name of the address addr_text (dotted IPv4 or IPv6 text) into buf:
 * the cached PTR name when known, else the address itself (and a lookup is
 * queued). Never blocks; callable from many threads at once. Returns the
 * length written. */
int flow_dns_name(struct flow_dns *d, const char *addr_text, char *buf, size_t cap);

#endif
