// HTTP handlers for listing photos and floor plans: the multipart upload, the ordered list,
// reordering and cover choice, deletion, and serving the stored files under /media/.
#pragma once

#include "core/worker_pool.hpp"
#include "http/types.hpp"
#include "listings/media_service.hpp"

namespace griha::listings {

// A whole upload request may carry several files, but together no more than this (one
// largest file plus the multipart framing); the route declares it so the server refuses a
// larger body before reading it.
inline constexpr std::size_t k_media_upload_body_bytes = 11 * 1024 * 1024;

// Handlers capture the service and pool by reference, not this struct: it may be a temporary.
struct MediaHandlers {
  MediaService& service;
  WorkerPool& workers;

  http::Handler upload() const;
  http::Handler list() const;
  http::Handler arrange() const;
  http::Handler remove() const;
  http::Handler serve_file() const;
};

}  // namespace griha::listings
