// A listing's photos and floor plans (the listing_media table), and the listing's photo_count
// kept in step with it. Every function runs where its Executor says.
#pragma once

#include <vector>

#include "listings/media.hpp"
#include "storage/executor.hpp"

namespace griha::listings::media_repo {

using storage::Executor;

// Ordered by position.
Result<std::vector<Media>> list(Executor ex, std::int64_t listing_id);
// Assigns `m.id`.
Result<void> insert(Executor ex, Media& m);
Result<void> place(Executor ex, std::int64_t id, std::int64_t position, bool cover);
Result<void> remove(Executor ex, std::int64_t id);
// Recounts the listing's photos into listings.photo_count and bumps its version, so that
// ETags and concurrent If-Match edits see the change.
Result<void> sync_listing(Executor ex, std::int64_t listing_id, const std::string& now);

}  // namespace griha::listings::media_repo
