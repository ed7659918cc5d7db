#include "listings/media_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace griha::listings {
namespace {

Error too_many(std::size_t max) {
  return Error::make(
      ErrorKind::conflict, "too_many_photos",
      "A listing has at most " + std::to_string(max) + " photos and floor plans together.");
}

std::vector<std::string> file_names(const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  for (const auto& key : keys)
    for (int w : k_media_widths) out.push_back(media_file_name(key, w));
  return out;
}

}  // namespace

MediaService::MediaService(storage::Database& db, ListingService& listings,
                           storage::MediaStore& store, const ImageProcessor& images,
                           MediaOptions options, Clock clock,
                           std::function<void(std::int64_t)> on_change)
    : db_(db),
      listings_(listings),
      store_(store),
      images_(images),
      options_(options),
      clock_(std::move(clock)),
      on_change_(std::move(on_change)) {}

Result<Listing> MediaService::writable(storage::Transaction& tx, const Principal& actor,
                                       std::int64_t id) {
  auto listing = listings_.load_owned(tx, actor, id);
  if (!listing) return listing.error();
  if (listing->status == Status::sold || listing->status == Status::rented)
    return Error::make(ErrorKind::conflict, "listing_closed",
                       "A sold or rented listing cannot be edited.");
  return listing;
}

Result<void> MediaService::place_all(storage::Transaction& tx, std::vector<Media>& items,
                                     std::optional<std::int64_t> cover) {
  const auto is_photo = [](const Media& m) { return m.kind == MediaKind::photo; };
  if (!cover) {
    auto current = std::find_if(items.begin(), items.end(),
                                [&](const Media& m) { return m.cover && is_photo(m); });
    if (current == items.end()) current = std::find_if(items.begin(), items.end(), is_photo);
    if (current != items.end()) cover = current->id;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    Media& m = items[i];
    const auto position = static_cast<std::int64_t>(i);
    const bool is_cover = cover && m.id == *cover;
    if (m.position == position && m.cover == is_cover) continue;
    if (auto r = media_repo::place(tx, m.id, position, is_cover); !r) return r.error();
    m.position = position;
    m.cover = is_cover;
  }
  return {};
}

void MediaService::remove_files(const std::vector<std::string>& keys) {
  for (const auto& name : file_names(keys))
    if (auto r = store_.remove(name); !r)
      spdlog::warn("media: could not remove {}: {}", name, r.error().detail);
}

Result<std::vector<Media>> MediaService::upload(const Principal& actor, std::int64_t listing_id,
                                                MediaKind kind,
                                                std::span<const UploadedFile> files) {
  if (files.empty())
    return Error::field("/files", FieldCode::required, "attach at least one image file");
  for (const auto& f : files)
    if (f.bytes.size() > options_.max_file_bytes) {
      Error e = Error::make(ErrorKind::too_large, "file_too_large", "A file is too large.");
      e.fields.push_back(
          {f.field, FieldCode::out_of_range,
           "at most " + std::to_string(options_.max_file_bytes >> 20) + " MiB per file"});
      return e;
    }
  // Refuse what the listing cannot take before the expensive part.
  {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    if (auto l = writable(*tx, actor, listing_id); !l) return l.error();
    auto existing = media_repo::list(*tx, listing_id);
    if (!existing) return existing.error();
    if (existing->size() + files.size() > options_.max_per_listing)
      return too_many(options_.max_per_listing);
  }

  std::vector<ProcessedImage> images;
  for (const auto& f : files) {
    auto processed = images_.process(f.bytes, f.field);
    if (!processed) return processed.error();
    images.push_back(std::move(*processed));
  }

  std::vector<std::string> keys;
  for (const auto& image : images) {
    keys.push_back(new_storage_key());
    for (std::size_t i = 0; i < k_media_widths.size(); ++i)
      if (auto r = store_.put(media_file_name(keys.back(), k_media_widths[i]), image.jpeg[i]); !r) {
        remove_files(keys);
        return r.error();
      }
  }

  auto recorded = [&]() -> Result<std::vector<Media>> {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    if (auto r = repo::lock(*tx, listing_id); !r) return r.error();
    if (auto l = writable(*tx, actor, listing_id); !l) return l.error();
    auto items = media_repo::list(*tx, listing_id);
    if (!items) return items.error();
    // Checked again under the lock: another upload may have landed meanwhile.
    if (items->size() + images.size() > options_.max_per_listing)
      return too_many(options_.max_per_listing);
    const std::string now = iso_utc(clock_());
    for (std::size_t i = 0; i < images.size(); ++i) {
      Media m;
      m.listing_id = listing_id;
      m.kind = kind;
      m.position = static_cast<std::int64_t>(items->size());
      m.storage_key = keys[i];
      m.width = images[i].width;
      m.height = images[i].height;
      m.created_at = now;
      if (auto r = media_repo::insert(*tx, m); !r) return r.error();
      items->push_back(std::move(m));
    }
    if (auto r = place_all(*tx, *items, std::nullopt); !r) return r.error();
    if (auto r = media_repo::sync_listing(*tx, listing_id, now); !r) return r.error();
    if (auto r = tx->commit(); !r) return r.error();
    return items;
  }();
  if (!recorded) {
    remove_files(keys);
    return recorded.error();
  }
  if (on_change_) on_change_(listing_id);
  return recorded;
}

Result<std::vector<Media>> MediaService::list(const std::optional<Principal>& actor,
                                              std::int64_t listing_id) {
  if (auto l = listings_.get(actor, listing_id); !l) return l.error();
  return media_repo::list(db_, listing_id);
}

Result<std::vector<Media>> MediaService::arrange(
    const Principal& actor, std::int64_t listing_id,
    const std::optional<std::vector<std::int64_t>>& order, std::optional<std::int64_t> cover) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  if (auto l = writable(*tx, actor, listing_id); !l) return l.error();
  auto items = media_repo::list(*tx, listing_id);
  if (!items) return items.error();

  if (order) {
    std::set<std::int64_t> have, want(order->begin(), order->end());
    for (const auto& m : *items) have.insert(m.id);
    if (want != have || order->size() != items->size())
      return Error::field("/order", FieldCode::inconsistent,
                          "must list the id of every photo and floor plan of the listing once");
    std::vector<Media> sorted;
    for (std::int64_t id : *order)
      sorted.push_back(
          *std::find_if(items->begin(), items->end(), [&](const Media& m) { return m.id == id; }));
    *items = std::move(sorted);
  }
  if (cover && std::none_of(items->begin(), items->end(), [&](const Media& m) {
        return m.id == *cover && m.kind == MediaKind::photo;
      }))
    return Error::field("/cover", FieldCode::not_found, "must be one of the listing's photos");

  if (auto r = place_all(*tx, *items, cover); !r) return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  if (on_change_) on_change_(listing_id);
  return items;
}

Result<void> MediaService::remove(const Principal& actor, std::int64_t listing_id,
                                  std::int64_t media_id) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  if (auto r = repo::lock(*tx, listing_id); !r) return r.error();
  if (auto l = writable(*tx, actor, listing_id); !l) return l.error();
  auto items = media_repo::list(*tx, listing_id);
  if (!items) return items.error();
  const auto gone =
      std::find_if(items->begin(), items->end(), [&](const Media& m) { return m.id == media_id; });
  if (gone == items->end())
    return Error::make(ErrorKind::not_found, "photo_not_found", "No such photo on this listing.");
  const std::string key = gone->storage_key;
  items->erase(gone);
  if (auto r = media_repo::remove(*tx, media_id); !r) return r.error();
  if (auto r = place_all(*tx, *items, std::nullopt); !r) return r.error();
  if (auto r = media_repo::sync_listing(*tx, listing_id, iso_utc(clock_())); !r) return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  // After the commit: a failed removal leaves an unreferenced file, never a broken photo.
  remove_files({key});
  if (on_change_) on_change_(listing_id);
  return {};
}

Result<std::optional<std::string>> MediaService::file(std::string_view name) {
  if (!is_media_file_name(name)) return std::optional<std::string>{};
  return store_.get(name);
}

}  // namespace griha::listings
