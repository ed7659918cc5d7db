// The rules for a listing's photos and floor plans: who may add, order and delete them, how
// many a listing may have, and keeping the stored files, the media rows and the listing's
// photo_count in step.
//
// Privacy: the files are served at /media/<random name> to anyone who has the URL, without
// asking the database. The names carry 128 random bits and are only handed out by list(),
// which follows the listing's own visibility (public once active; before that, the lister
// and admins only), so the photos of an unpublished listing cannot be found.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "listings/listing_service.hpp"
#include "listings/media.hpp"
#include "listings/media_image.hpp"
#include "listings/media_repository.hpp"
#include "storage/media_store.hpp"

namespace griha::listings {

struct UploadedFile {
  std::string field;       // how errors name it: "files/0"
  std::string_view bytes;  // the file as uploaded
};

struct MediaOptions {
  std::size_t max_file_bytes = 10 * 1024 * 1024;
  std::size_t max_per_listing = 30;  // photos and floor plans together
};

class MediaService {
 public:
  // `on_change` is told of every listing whose photos changed, after commit.
  MediaService(storage::Database& db, ListingService& listings, storage::MediaStore& store,
               const ImageProcessor& images, MediaOptions options = {},
               Clock clock = system_clock(), std::function<void(std::int64_t)> on_change = {});

  // Adds the files after the listing's existing media, all or none; returns all its media.
  // The first photo a listing gets becomes its cover.
  Result<std::vector<Media>> upload(const Principal& actor, std::int64_t listing_id, MediaKind kind,
                                    std::span<const UploadedFile> files);
  // Ordered; visible to whoever may see the listing.
  Result<std::vector<Media>> list(const std::optional<Principal>& actor, std::int64_t listing_id);
  // `order` must name every media id of the listing once; `cover` must be one of its photos.
  Result<std::vector<Media>> arrange(const Principal& actor, std::int64_t listing_id,
                                     const std::optional<std::vector<std::int64_t>>& order,
                                     std::optional<std::int64_t> cover);
  // If it was the cover, the first remaining photo becomes the cover.
  Result<void> remove(const Principal& actor, std::int64_t listing_id, std::int64_t media_id);

  // The bytes of a stored file by its /media/ path; nullopt when there is none.
  Result<std::optional<std::string>> file(std::string_view name);

 private:
  // The listing, if `actor` may change its media now (owner or admin; not sold or rented).
  Result<Listing> writable(storage::Transaction& tx, const Principal& actor, std::int64_t id);
  // Positions `items` 0..n-1 in their order and makes `cover` (else the current cover, else
  // the first photo) the one cover; writes only the rows that change.
  Result<void> place_all(storage::Transaction& tx, std::vector<Media>& items,
                         std::optional<std::int64_t> cover);
  void remove_files(const std::vector<std::string>& keys);

  storage::Database& db_;
  ListingService& listings_;
  storage::MediaStore& store_;
  const ImageProcessor& images_;
  MediaOptions options_;
  Clock clock_;
  std::function<void(std::int64_t)> on_change_;
};

}  // namespace griha::listings
