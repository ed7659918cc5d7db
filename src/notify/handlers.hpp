// HTTP handlers for in-app notifications (the signed-in user's own) and the admin view of
// the outbox (pending, sent, dead-lettered messages; retry of a dead one).
#pragma once

#include "core/time.hpp"
#include "core/worker_pool.hpp"
#include "http/types.hpp"
#include "storage/database.hpp"

namespace griha::notify {

class Dispatcher;

// Handlers capture the members by reference, not this struct: it may be a temporary.
struct NotifyHandlers {
  storage::Database& db;
  WorkerPool& workers;
  Dispatcher& dispatcher;
  Clock clock;

  http::Handler my_notifications() const;  // GET /api/v1/me/notifications
  http::Handler mark_read() const;         // POST /api/v1/me/notifications/{id}/read
  http::Handler mark_all_read() const;     // POST /api/v1/me/notifications/read-all
  http::Handler admin_outbox() const;      // GET /api/v1/admin/outbox
  http::Handler admin_retry() const;       // POST /api/v1/admin/outbox/{id}/retry
};

}  // namespace griha::notify
