// HTTP handlers for site visits: thin — parse and validate, call VisitService on the worker
// pool, shape the response.
#pragma once

#include "core/worker_pool.hpp"
#include "http/types.hpp"
#include "visits/visit_service.hpp"

namespace griha::visits {

// Handlers capture the service and pool by reference, not this struct: it may be a temporary.
struct VisitHandlers {
  VisitService& service;
  WorkerPool& workers;

  http::Handler get_availability() const;  // GET  /api/v1/listings/{id}/availability
  http::Handler put_availability() const;  // PUT  /api/v1/listings/{id}/availability
  http::Handler slots() const;             // GET  /api/v1/listings/{id}/slots
  http::Handler book() const;              // POST /api/v1/listings/{id}/visits
  http::Handler get() const;               // GET  /api/v1/visits/{id}
  http::Handler reschedule() const;        // POST /api/v1/visits/{id}/reschedule
  http::Handler cancel() const;            // POST /api/v1/visits/{id}/cancel
  http::Handler outcome() const;           // POST /api/v1/visits/{id}/outcome
  http::Handler mine() const;              // GET  /api/v1/me/visits
  http::Handler hosted() const;            // GET  /api/v1/me/hosted-visits
};

}  // namespace griha::visits
