#include "listings/media_repository.hpp"

namespace griha::listings {
namespace {

using storage::Query;

constexpr Query k_list{
    "media.list",
    "SELECT id, listing_id, kind, sort_order, cover, storage_key, width, height, "
    "created_at FROM listing_media WHERE listing_id = $1 ORDER BY sort_order, id"};
constexpr Query k_lock_listing{"media.lock_listing", "SELECT id FROM listings WHERE id = $1",
                               "SELECT id FROM listings WHERE id = $1 FOR UPDATE"};
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

std::vector<Media> from_rows(const storage::Rows& rows) {
  std::vector<Media> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    Media m;
    m.id = r.i64(0);
    m.listing_id = r.i64(1);
    m.kind = media_kind_from_string(r.text(2)).value_or(MediaKind::photo);
    m.position = r.i64(3);
    m.cover = r.i64(4) != 0;
    m.storage_key = r.text(5);
    m.width = static_cast<int>(r.i64(6));
    m.height = static_cast<int>(r.i64(7));
    m.created_at = r.text(8);
    out.push_back(std::move(m));
  }
  return out;
}

Result<void> done(const Result<storage::Rows>& r) {
  if (!r) return r.error();
  return {};
}

}  // namespace

Result<std::vector<Media>> MediaRepository::list(std::int64_t listing_id) {
  auto rows = db_.exec(k_list, storage::params(listing_id));
  if (!rows) return rows.error();
  return from_rows(*rows);
}

Result<std::vector<Media>> MediaRepository::list(storage::Transaction& tx,
                                                 std::int64_t listing_id) {
  auto rows = tx.exec(k_list, storage::params(listing_id));
  if (!rows) return rows.error();
  return from_rows(*rows);
}

Result<void> MediaRepository::lock_listing(storage::Transaction& tx, std::int64_t listing_id) {
  return done(tx.exec(k_lock_listing, storage::params(listing_id)));
}

Result<void> MediaRepository::insert(storage::Transaction& tx, Media& m) {
  auto rows =
      tx.exec(k_insert, storage::params(m.listing_id, to_string(m.kind), m.position, m.cover,
                                        m.storage_key, m.width, m.height, m.created_at));
  if (!rows) return rows.error();
  m.id = rows->rows.at(0).i64(0);
  return {};
}

Result<void> MediaRepository::place(storage::Transaction& tx, std::int64_t id,
                                    std::int64_t position, bool cover) {
  return done(tx.exec(k_place, storage::params(id, position, cover)));
}

Result<void> MediaRepository::remove(storage::Transaction& tx, std::int64_t id) {
  return done(tx.exec(k_remove, storage::params(id)));
}

Result<void> MediaRepository::sync_listing(storage::Transaction& tx, std::int64_t listing_id,
                                           const std::string& now) {
  return done(tx.exec(k_sync_listing, storage::params(listing_id, now)));
}

}  // namespace griha::listings
