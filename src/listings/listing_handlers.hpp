// HTTP handlers for listings: thin — parse, call ListingService on the worker pool, shape the
// response (views, ETags, problem+json).
#pragma once

#include <optional>

#include "core/worker_pool.hpp"
#include "http/types.hpp"
#include "listings/listing_service.hpp"
#include "listings/view_counter.hpp"

namespace griha::listings {

// Handlers capture the service and pool by reference, not this struct: it may be a temporary.
struct ListingHandlers {
  ListingService& service;
  WorkerPool& workers;
  ViewCounter& views;

  http::Handler create() const;
  http::Handler get() const;
  http::Handler update() const;
  http::Handler remove() const;
  http::Handler mine() const;
  http::Handler my_views() const;  // views per listing of the caller's listings
  http::Handler history() const;
  http::Handler submit() const;
  http::Handler renew() const;
  http::Handler withdraw() const;
  http::Handler close() const;
  http::Handler moderation_queue() const;
  http::Handler approve() const;
  http::Handler reject() const;
  http::Handler set_flags() const;
};

}  // namespace griha::listings
