/*
 * agent/host_poller.c: polls the host counters (see host_poller.h).
 *
 * The reader outputs live in the poller object because the records point
 * into them (strings, adapter lists) until the sender has encoded them.
 */
#include "agent/host_poller.h"

#include <stdlib.h>
#include <string.h>

#include "agent/host/adapters.h"
#include "agent/host/cpu.h"
#include "agent/host/descr.h"
#include "agent/host/disk.h"
#include "agent/host/mem.h"
#include "agent/host/nio.h"
#include "agent/host/snmp.h"
#include "sflow/sflow.h"

#define HOST_POLLER_ROOT_BYTES 4096

struct host_poller {
	struct loop *loop;
	struct sender *sender;
	char root[HOST_POLLER_ROOT_BYTES];
	uint32_t polling_s;           /* 0 = off */
	bool has_uuid;
	uint8_t uuid[16];             /* configured uuid, when has_uuid */
	uint64_t timer;               /* pending poll timer id, 0 = none */
	uint32_t seq;                 /* last sample sequence number sent */
	struct log_limit read_limit;  /* one reader failure line a minute */
	struct host_descr descr;
	struct host_adapters adapters;
	struct host_snmp snmp;
	struct sfl_record recs[HOST_POLLER_MAX_RECORDS];
};

static void poll_cb(struct loop *l, void *arg);

static void arm(struct host_poller *p, uint64_t delay_ms)
{
	if (p->timer != 0)
		loop_timer_del(p->loop, p->timer);
	p->timer = 0;
	if (p->polling_s == 0)
		return;
	p->timer = loop_timer_add(p->loop, delay_ms, poll_cb, p);
	if (p->timer == 0)
		log_msg(LOG_ERR, "host_poller: no timer slot; host counters stop");
}

static void take_config(struct host_poller *p, const struct agent_config *c)
{
	p->polling_s = c->polling_s;
	p->has_uuid = c->uuid.set;
	memcpy(p->uuid, c->uuid.bytes, sizeof(p->uuid));
}

struct host_poller *host_poller_new(struct loop *l, struct sender *s, const char *root,
				    const struct agent_config *c)
{
	struct host_poller *p;

	if (strlen(root) >= HOST_POLLER_ROOT_BYTES)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->loop = l;
	p->sender = s;
	memcpy(p->root, root, strlen(root) + 1);
	take_config(p, c);
	if (p->polling_s > 0)
		arm(p, loop_random_phase_ms((uint64_t)p->polling_s * 1000));
	return p;
}

void host_poller_free(struct host_poller *p)
{
	if (!p)
		return;
	if (p->timer != 0)
		loop_timer_del(p->loop, p->timer);
	free(p);
}

void host_poller_reconfigure(struct host_poller *p, const struct agent_config *c)
{
	uint32_t old = p->polling_s;

	take_config(p, c);
	if (p->polling_s != old || p->timer == 0)
		arm(p, p->polling_s ? loop_random_phase_ms((uint64_t)p->polling_s * 1000) : 0);
}

uint32_t host_poller_seq(const struct host_poller *p)
{
	return p->seq;
}

static void poll_cb(struct loop *l, void *arg)
{
	struct host_poller *p = arg;

	(void)l;
	p->timer = 0;
	host_poller_poll(p, loop_now_ms());
	arm(p, (uint64_t)p->polling_s * 1000);
}

static struct sfl_record *next_rec(struct host_poller *p, size_t *n, uint32_t tag)
{
	struct sfl_record *r = &p->recs[(*n)++];

	memset(r, 0, sizeof(*r));
	r->tag = tag;
	r->kind = SFL_KIND_COUNTERS;
	r->known = true;
	return r;
}

static void read_failed(struct host_poller *p, const char *what)
{
	log_every(&p->read_limit, 60, LOG_WARNING, "host_poller: cannot read %s under %s", what,
		  p->root);
}

/* Records 2000, 2001 and 2007-2010, whose data lives in p. */
static void read_owned(struct host_poller *p, size_t *n)
{
	if (host_descr_read(p->root, p->has_uuid ? p->uuid : NULL, &p->descr) == 0)
		next_rec(p, n, SFL_CTR_HOST_DESCR)->v.host_descr = p->descr.rec;
	else
		read_failed(p, "hostname");
	if (host_adapters_read(p->root, &p->adapters) == 0)
		next_rec(p, n, SFL_CTR_HOST_ADAPTERS)->v.host_adapters = p->adapters.rec;
	else
		read_failed(p, "sys/class/net");
	if (host_snmp_read(p->root, &p->snmp) == -1) {
		read_failed(p, "proc/net/snmp");
		return;
	}
	if (p->snmp.has_ip)
		next_rec(p, n, SFL_CTR_HOST_IP)->v.host_ip = p->snmp.ip;
	if (p->snmp.has_icmp)
		next_rec(p, n, SFL_CTR_HOST_ICMP)->v.host_icmp = p->snmp.icmp;
	if (p->snmp.has_tcp)
		next_rec(p, n, SFL_CTR_HOST_TCP)->v.host_tcp = p->snmp.tcp;
	if (p->snmp.has_udp)
		next_rec(p, n, SFL_CTR_HOST_UDP)->v.host_udp = p->snmp.udp;
}

/* Records 2003-2006, plain values. */
static void read_values(struct host_poller *p, size_t *n)
{
	struct sfl_record *r = next_rec(p, n, SFL_CTR_HOST_CPU);

	if (host_cpu_read(p->root, &r->v.host_cpu) == -1) {
		(*n)--;
		read_failed(p, "proc/stat");
	}
	r = next_rec(p, n, SFL_CTR_HOST_MEM);
	if (host_mem_read(p->root, &r->v.host_mem) == -1) {
		(*n)--;
		read_failed(p, "proc/meminfo");
	}
	r = next_rec(p, n, SFL_CTR_HOST_DISK);
	if (host_disk_read(p->root, host_disk_space_statvfs, NULL, &r->v.host_disk) == -1) {
		(*n)--;
		read_failed(p, "proc/diskstats");
	}
	r = next_rec(p, n, SFL_CTR_HOST_NIO);
	if (host_nio_read(p->root, &r->v.host_nio) == -1) {
		(*n)--;
		read_failed(p, "proc/net/dev");
	}
}

size_t host_poller_poll(struct host_poller *p, uint64_t now_ms)
{
	struct sfl_sample s = { .tag = SFL_SAMPLE_COUNTERS };
	size_t n = 0;

	read_owned(p, &n);
	read_values(p, &n);
	if (n == 0)
		return 0;
	s.seq = p->seq + 1;
	s.ds_class = HOST_POLLER_DS_CLASS;
	s.ds_index = HOST_POLLER_DS_INDEX;
	if (sender_add_sample(p->sender, &s, p->recs, n, now_ms) == -1) {
		log_every(&p->read_limit, 60, LOG_WARNING,
			  "host_poller: sample of %zu records does not fit a datagram", n);
		return 0;
	}
	p->seq = s.seq;
	return n;
}
