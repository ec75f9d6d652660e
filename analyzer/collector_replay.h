/*
 * analyzer/collector_replay.h: the thread that replays a capture file
 * (sflow.file) instead of listening.
 *
 * The capture is opened by collector_replay_start(), so an unreadable
 * file is reported at once. The thread then reads frame after frame; for
 * each UDP datagram it sets the replay clock (analyzer/clock.h) to the
 * frame's capture time, sleeps until the frame is due at the recorded
 * pace divided by `speed` (0: never sleeps), and hands the datagram to
 * `fn`, on the replay thread. Frames without a whole UDP datagram are
 * skipped. When the file ends (or is found damaged) the thread exits and
 * collector_replay_done() turns true.
 */
#ifndef RTFLOW_ANALYZER_COLLECTOR_REPLAY_H
#define RTFLOW_ANALYZER_COLLECTOR_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* One datagram of the capture: sent by `src`, captured at now_ms. */
typedef void collector_replay_fn(void *arg, const uint8_t *buf, size_t len,
				 const struct sockaddr_storage *src, uint64_t now_ms);

struct collector_replay;

/* Open `file` and start the thread. NULL with a reason in err. */
struct collector_replay *collector_replay_start(const char *file, double speed,
						collector_replay_fn *fn, void *arg, char *err,
						size_t errlen);

/* Interrupt (a sleep ends within 50 ms), join and close. NULL is a no-op. */
void collector_replay_stop(struct collector_replay *r);

/* Whether every frame has been read. Any thread. */
bool collector_replay_done(struct collector_replay *r);

#endif
