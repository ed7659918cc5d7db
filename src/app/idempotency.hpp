// Idempotency-Key on POSTs that create things (inquiries, visit bookings), with Stripe's
// semantics: the first request with a key runs and its successful response is kept; the same
// key with the same body gets that response again (Idempotent-Replayed: true) without running
// twice; the same key with a different body is refused (422 idempotency_key_reused); a retry
// while the first is still running gets 409. Error answers are not kept (like Stripe, which
// keeps nothing for requests that failed validation or conflicted): the request did nothing,
// so a retry runs afresh. Keys belong to the caller (their account, or their IP address when
// signed out) and expire after 24 hours; one left "started" by a request that died is taken
// over after a minute.
//
// The claim is a short transaction of its own, so that a concurrent retry sees it (409) and a
// dead request's claim can be taken over. The answer is stored in the handler's own write
// transaction (the handler passes http::keep_answer() to its service, which runs it before
// it commits): the writes and the stored answer commit together, so a crash after the
// commit replays the answer instead of running the POST again, and a claim taken over
// meanwhile rolls the late request's writes back.
#pragma once

#include "core/time.hpp"
#include "core/worker_pool.hpp"
#include "http/types.hpp"
#include "storage/database.hpp"

namespace griha::app {

http::Handler idempotent(storage::Database& db, WorkerPool& workers, Clock clock,
                         http::Handler inner);

// Deletes expired keys; returns how many. Run by serve's housekeeping.
Result<std::int64_t> purge_idempotency_keys(storage::Database& db, const std::string& now);

}  // namespace griha::app
