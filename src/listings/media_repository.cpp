#include "listings/media_repository.hpp"

namespace griha::listings::media_repo {
namespace {

using storage::params;
using storage::Query;
using storage::Row;

constexpr Query k_list{
    "media.list",
    "SELECT id, listing_id, kind, sort_order, cover, storage_key, width, height, "
    "created_at FROM listing_media WHERE listing_id = $1 ORDER BY sort_order, id"};
constexpr Query k_insert{"media.insert",
                         "INSERT INTO listing_media (listing_id, kind, sort_order, cover, "
                         "storage_key, width, height, created_at) "
                         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"};
constexpr Query k_place{"media.place",
                        "UPDATE listing_media SET sort_order = $2, cover = $3 WHERE id = $1"};
constexpr Query k_remove{"media.remove", "DELETE FROM listing_media WHERE id = $1"};
constexpr Query k_sync_listing{
    "media.sync_listing",
    "UPDATE listings SET photo_count = (SELECT COUNT(*) FROM listing_media WHERE listing_id = $1 "
    "AND kind = 'photo'), version = version + 1, updated_at = $2 WHERE id = $1"};

Media media_from(const Row& r) {
  Media m;
  m.id = r.i64("id");
  m.listing_id = r.i64("listing_id");
  m.kind = media_kind_from_string(r.text("kind")).value_or(MediaKind::photo);
  m.position = r.i64("sort_order");
  m.cover = r.flag("cover");
  m.storage_key = r.text("storage_key");
  m.width = r.get<int>("width");
  m.height = r.get<int>("height");
  m.created_at = r.text("created_at");
  return m;
}

}  // namespace

Result<std::vector<Media>> list(Executor ex, std::int64_t listing_id) {
  return ex.all(k_list, params(listing_id), media_from);
}

Result<void> insert(Executor ex, Media& m) {
  auto id = ex.one_value<std::int64_t>(k_insert,
                                       params(m.listing_id, to_string(m.kind), m.position, m.cover,
                                              m.storage_key, m.width, m.height, m.created_at),
                                       "id");
  if (!id) return id.error();
  m.id = *id;
  return {};
}

Result<void> place(Executor ex, std::int64_t id, std::int64_t position, bool cover) {
  return storage::done(ex.execute(k_place, params(id, position, cover)));
}

Result<void> remove(Executor ex, std::int64_t id) {
  return storage::done(ex.execute(k_remove, params(id)));
}

Result<void> sync_listing(Executor ex, std::int64_t listing_id, const std::string& now) {
  return storage::done(ex.execute(k_sync_listing, params(listing_id, now)));
}

}  // namespace griha::listings::media_repo
