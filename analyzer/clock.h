/*
 * analyzer/clock.h: the analyzer's notion of "now", in milliseconds since
 * the Unix epoch.
 *
 * Live, it is CLOCK_REALTIME. When a capture is replayed (sflow.file) the
 * replay thread sets it from each datagram's capture timestamp, so every
 * "ms since last update", rate and timeout is computed on the capture's
 * time line and the results are the same on every run and machine.
 * Readable from any thread (one relaxed atomic load).
 */
#ifndef RTFLOW_ANALYZER_CLOCK_H
#define RTFLOW_ANALYZER_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Now: wall-clock ms, or the replay time once clock_set_replay_ms() ran. */
uint64_t clock_now_ms(void);

/* Switch to (or advance) replay time. Called by the replay thread only;
 * time never moves backwards (an earlier value is ignored). */
void clock_set_replay_ms(uint64_t ms);

/* Whether replay time is in force. */
bool clock_is_replay(void);

/* CLOCK_MONOTONIC ms, for intervals that must not follow replay time. */
uint64_t clock_monotonic_ms(void);

#endif
