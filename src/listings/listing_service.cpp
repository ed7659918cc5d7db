#include "listings/listing_service.hpp"

#include <boost/json.hpp>

#include "core/validation.hpp"
#include "listings/gazetteer.hpp"

namespace griha::listings {
namespace {

// The CSV column a field problem names: the first segment of its JSON Pointer ("/bhk" ->
// "bhk", "/amenities/3" -> "amenities"); "" for a problem with the whole row.
std::string column_of(std::string_view pointer) {
  if (pointer.empty()) return {};
  const auto segment = pointer.substr(1, pointer.find('/', 1) - 1);
  std::string out;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '~' && i + 1 < segment.size()) {
      out += segment[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += segment[i];
    }
  }
  return out;
}

Error not_found() {
  return Error::make(ErrorKind::not_found, "listing_not_found", "No such listing.");
}
Error conflict(std::string code, std::string message) {
  return Error::make(ErrorKind::conflict, std::move(code), std::move(message));
}
Error stale() {
  return Error::make(ErrorKind::precondition_failed, "listing_changed",
                     "The listing changed since you read it; reload and try again.");
}

}  // namespace

ListingService::ListingService(storage::Database& db, const Gazetteer& gazetteer,
                               ListingOptions options, Clock clock,
                               std::function<void(std::int64_t)> on_change)
    : db_(db),
      gazetteer_(gazetteer),
      options_(options),
      clock_(std::move(clock)),
      on_change_(std::move(on_change)) {}

Result<Listing> ListingService::create(const Principal& actor, const boost::json::object& body) {
  if (!actor.lister())
    return Error::make(ErrorKind::forbidden, "forbidden",
                       "Only owners, agents and builders post listings.");
  Listing l;
  l.owner_id = actor.user_id;
  l.posted_by = std::string(to_string(actor.role));
  if (auto r = apply_patch(l, body); !r) return r.error();
  if (auto r = validate(l, gazetteer_, false); !r) return r.error();
  place_from_gazetteer(l, gazetteer_);
  l.created_at = l.updated_at = iso_utc(clock_());
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto id = repo::insert(*tx, l);
  if (!id) return id.error();
  l.id = *id;
  if (auto r = repo::add_event(*tx, l.id, actor.user_id, std::nullopt, l.status, "created",
                               l.created_at);
      !r)
    return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  return l;
}

Result<Listing> ListingService::get(const std::optional<Principal>& actor, std::int64_t id) {
  auto found = repo::find(db_, id);
  if (!found) return found.error();
  if (!*found) return not_found();
  const Listing& l = **found;
  const bool privileged = actor && (actor->admin() || actor->user_id == l.owner_id);
  if (l.status != Status::active && !privileged) return not_found();
  return l;
}

Result<Listing> ListingService::load_owned(storage::Transaction& tx, const Principal& actor,
                                           std::int64_t id) {
  auto found = repo::find(tx, id);
  if (!found) return found.error();
  if (!*found) return not_found();
  Listing& l = **found;
  if (actor.admin() || l.owner_id == actor.user_id) return std::move(l);
  // A live listing is public, so saying "not yours" reveals nothing; anything else stays
  // invisible.
  if (l.status == Status::active)
    return Error::make(ErrorKind::forbidden, "not_listing_owner",
                       "Only the lister or an administrator may change this listing.");
  return not_found();
}

Result<Listing> ListingService::save(storage::Transaction& tx, Listing l, std::int64_t actor_id,
                                     std::optional<Status> from, const std::string& reason) {
  const std::int64_t expected = l.version;
  l.version += 1;
  l.updated_at = iso_utc(clock_());
  auto updated = repo::update(tx, l, expected);
  if (!updated) return updated.error();
  if (!*updated) return stale();
  if (from && *from != l.status)
    if (auto r = repo::add_event(tx, l.id, actor_id, from, l.status, reason, l.updated_at); !r)
      return r.error();
  if (auto r = tx.commit(); !r) return r.error();
  if (on_change_) on_change_(l.id);
  return l;
}

Result<UpdateOutcome> ListingService::update(const Principal& actor, std::int64_t id,
                                             const boost::json::object& patch,
                                             std::optional<std::int64_t> if_match_version) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto current = load_owned(*tx, actor, id);
  if (!current) return current.error();
  if (if_match_version && *if_match_version != current->version) return stale();
  if (current->status == Status::sold || current->status == Status::rented)
    return conflict("listing_closed", "A sold or rented listing cannot be edited.");

  Listing next = *current;
  bool material = false;
  if (auto r = apply_patch(next, patch, &material); !r) return r.error();
  if (auto r = validate(next, gazetteer_, current->status == Status::active); !r) return r.error();
  place_from_gazetteer(next, gazetteer_);

  if (current->status == Status::active && material) {
    // Hold the material fields for review; the approved version stays live. Non-material
    // fields in the same request (price, amenities, ...) apply at once.
    boost::json::object held, immediate;
    for (const auto& [key, value] : patch) {
      bool is_material = false;
      for (const auto& f : listing_fields())
        if (f.name == key) is_material = f.material;
      (is_material ? held : immediate)[key] = value;
    }
    auto pending = repo::pending_revision(*tx, id);
    if (!pending) return pending.error();
    if (*pending) {
      // A newer edit builds on the one still waiting.
      auto earlier = boost::json::parse((*pending)->patch).as_object();
      for (const auto& [k, v] : held) earlier[k] = v;
      held = std::move(earlier);
    }
    Listing live = *current;
    if (auto r = apply_patch(live, immediate); !r) return r.error();
    if (auto r = repo::put_revision(*tx, id, boost::json::serialize(held), iso_utc(clock_())); !r)
      return r.error();
    auto saved = save(*tx, std::move(live), actor.user_id, std::nullopt, "");
    if (!saved) return saved.error();
    return UpdateOutcome{std::move(*saved), true};
  }
  auto saved = save(*tx, std::move(next), actor.user_id, std::nullopt, "");
  if (!saved) return saved.error();
  return UpdateOutcome{std::move(*saved), false};
}

Result<void> ListingService::remove(const Principal& actor, std::int64_t id) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto l = load_owned(*tx, actor, id);
  if (!l) return l.error();
  const std::string now = iso_utc(clock_());
  if (auto r = repo::soft_delete(*tx, id, now); !r) return r.error();
  if (auto r = repo::add_event(*tx, id, actor.user_id, l->status, l->status, "deleted", now); !r)
    return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  if (on_change_) on_change_(id);
  return {};
}

Result<std::vector<Listing>> ListingService::mine(const Principal& actor, std::int64_t before_id,
                                                  int limit) {
  return repo::by_owner(db_, actor.user_id, before_id, limit);
}

Result<std::vector<ListingEvent>> ListingService::history(const Principal& actor, std::int64_t id) {
  {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    if (auto l = load_owned(*tx, actor, id); !l) return l.error();
  }
  return repo::events(db_, id);
}

Result<Listing> ListingService::submit(const Principal& actor, std::int64_t id) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto l = load_owned(*tx, actor, id);
  if (!l) return l.error();
  const Status from = l->status;
  if (from != Status::draft && from != Status::rejected && from != Status::withdrawn &&
      from != Status::expired)
    return conflict("invalid_transition",
                    "Only a draft, rejected, withdrawn or expired listing can be submitted.");
  if (auto r = validate(*l, gazetteer_, true); !r) return r.error();
  l->status = Status::pending_review;
  l->rejection_reason.clear();
  return save(*tx, std::move(*l), actor.user_id, from, "submitted for review");
}

Result<Listing> ListingService::renew(const Principal& actor, std::int64_t id) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto l = load_owned(*tx, actor, id);
  if (!l) return l.error();
  const Status from = l->status;
  if (from != Status::active && from != Status::expired)
    return conflict("invalid_transition", "Only an active or expired listing can be renewed.");
  l->status = Status::active;
  l->expires_at = iso_utc(clock_() + options_.expiry_days * 86400L);
  return save(*tx, std::move(*l), actor.user_id, from, "renewed");
}

Result<Listing> ListingService::withdraw(const Principal& actor, std::int64_t id) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto l = load_owned(*tx, actor, id);
  if (!l) return l.error();
  const Status from = l->status;
  if (from == Status::sold || from == Status::rented || from == Status::withdrawn)
    return conflict("invalid_transition", "This listing is already closed.");
  l->status = Status::withdrawn;
  return save(*tx, std::move(*l), actor.user_id, from, "withdrawn");
}

Result<Listing> ListingService::close(const Principal& actor, std::int64_t id, Status outcome) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto l = load_owned(*tx, actor, id);
  if (!l) return l.error();
  const Status from = l->status;
  if (from != Status::active)
    return conflict("invalid_transition", "Only an active listing can be marked sold or rented.");
  const bool renting = l->transaction == "rent" || l->transaction == "lease";
  if (outcome != (renting ? Status::rented : Status::sold))
    return Error::field("/outcome", FieldCode::inconsistent,
                        renting ? "must be rented for a rental" : "must be sold for a sale");
  l->status = outcome;
  return save(*tx, std::move(*l), actor.user_id, from, std::string(to_string(outcome)));
}

Result<Listing> ListingService::approve(const Principal& admin, std::int64_t id) {
  if (!admin.admin()) return Error::make(ErrorKind::forbidden, "forbidden", "Admins only.");
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto l = load_owned(*tx, admin, id);
  if (!l) return l.error();
  const Status from = l->status;
  const std::string now = iso_utc(clock_());
  if (from == Status::active) {
    auto pending = repo::pending_revision(*tx, id);
    if (!pending) return pending.error();
    if (!*pending) return conflict("nothing_to_review", "This listing has no edit waiting.");
    if (auto r = apply_patch(*l, boost::json::parse((*pending)->patch).as_object()); !r)
      return r.error();
    place_from_gazetteer(*l, gazetteer_);
    if (auto r = repo::decide_revision(*tx, (*pending)->id, true, admin.user_id, "", now); !r)
      return r.error();
    return save(*tx, std::move(*l), admin.user_id, from, "edit approved");
  }
  if (from != Status::pending_review)
    return conflict("invalid_transition", "Only a listing pending review can be approved.");
  l->status = Status::active;
  if (l->published_at.empty()) l->published_at = now;
  l->expires_at = iso_utc(clock_() + options_.expiry_days * 86400L);
  return save(*tx, std::move(*l), admin.user_id, from, "approved");
}

Result<Listing> ListingService::reject(const Principal& admin, std::int64_t id,
                                       const std::string& reason_in) {
  if (!admin.admin()) return Error::make(ErrorKind::forbidden, "forbidden", "Admins only.");
  Problems problems;
  const auto text = read_text(reason_in, TextRule{5, 500, true}, problems, "/reason");
  if (!text) return problems.error();
  const std::string& reason = *text;
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto l = load_owned(*tx, admin, id);
  if (!l) return l.error();
  const Status from = l->status;
  if (from == Status::active) {
    auto pending = repo::pending_revision(*tx, id);
    if (!pending) return pending.error();
    if (!*pending) return conflict("nothing_to_review", "This listing has no edit waiting.");
    if (auto r = repo::decide_revision(*tx, (*pending)->id, false, admin.user_id, reason,
                                       iso_utc(clock_()));
        !r)
      return r.error();
    if (auto r = repo::add_event(*tx, id, admin.user_id, from, from, "edit rejected: " + reason,
                                 iso_utc(clock_()));
        !r)
      return r.error();
    if (auto r = tx->commit(); !r) return r.error();
    return std::move(*l);
  }
  if (from != Status::pending_review)
    return conflict("invalid_transition", "Only a listing pending review can be rejected.");
  l->status = Status::rejected;
  l->rejection_reason = reason;
  return save(*tx, std::move(*l), admin.user_id, from, reason);
}

Result<Listing> ListingService::set_flags(const Principal& admin, std::int64_t id,
                                          std::optional<bool> featured,
                                          std::optional<bool> verified) {
  if (!admin.admin()) return Error::make(ErrorKind::forbidden, "forbidden", "Admins only.");
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto l = load_owned(*tx, admin, id);
  if (!l) return l.error();
  if (featured) l->featured = *featured;
  if (verified) l->verified = *verified;
  return save(*tx, std::move(*l), admin.user_id, std::nullopt, "");
}

Result<std::vector<QueueItem>> ListingService::moderation_queue(const Principal& admin, int limit) {
  if (!admin.admin()) return Error::make(ErrorKind::forbidden, "forbidden", "Admins only.");
  auto listings = repo::moderation_queue(db_, limit);
  if (!listings) return listings.error();
  std::vector<QueueItem> out;
  for (auto& l : *listings) {
    QueueItem item{std::move(l), std::nullopt, {}};
    if (item.listing.status == Status::active) {
      auto pending = repo::pending_revision(db_, item.listing.id);
      if (!pending) return pending.error();
      item.revision = *pending;
      if (item.revision) {
        const auto before = to_json(item.listing, View::owner_view);
        const boost::json::value patch = boost::json::parse(item.revision->patch);
        for (const auto& [k, v] : patch.as_object())
          item.diff[k] = {{"from", before.contains(k) ? before.at(k) : nullptr}, {"to", v}};
      }
    }
    out.push_back(std::move(item));
  }
  return out;
}

Result<int> ListingService::expire_due() {
  auto due = repo::due_to_expire(db_, iso_utc(clock_()), 500);
  if (!due) return due.error();
  int expired = 0;
  for (const auto id : *due) {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto l = repo::find(*tx, id);
    if (!l) return l.error();
    if (!*l || (*l)->status != Status::active) continue;
    (*l)->status = Status::expired;
    auto saved = save(*tx, std::move(**l), 0, Status::active, "expired");
    if (saved) ++expired;
    // Someone (another node's sweep, a renewal) wrote first: theirs stands.
    else if (saved.error().kind != ErrorKind::precondition_failed)
      return saved.error();
  }
  return expired;
}

Result<ImportReport> ListingService::import(const Principal& actor,
                                            const std::vector<ImportRow>& rows,
                                            ImportOptions options) {
  if (actor.role != Role::agent && actor.role != Role::builder)
    return Error::make(ErrorKind::forbidden, "forbidden",
                       "Only agents and builders import listings.");
  ImportReport report;
  report.options = options;
  report.rows_total = rows.size();
  const std::string now = iso_utc(clock_());
  std::vector<std::pair<std::size_t, Listing>> valid;
  for (const auto& row : rows) {
    std::vector<FieldError> problems = row.problems;
    Listing l;
    l.owner_id = actor.user_id;
    l.posted_by = std::string(to_string(actor.role));
    if (problems.empty()) {
      if (auto r = apply_patch(l, row.fields); !r)
        problems = r.error().fields;
      else if (auto v = validate(l, gazetteer_, options.submit); !v)
        problems = v.error().fields;
    }
    if (!problems.empty()) {
      ++report.failed;
      for (auto& p : problems)
        report.errors.push_back(
            {row.row, row.line, column_of(p.field), std::string(to_string(p.code)), p.message});
      continue;
    }
    place_from_gazetteer(l, gazetteer_);
    l.created_at = l.updated_at = now;
    valid.emplace_back(row.row, std::move(l));
  }
  if (options.all_or_nothing && report.failed > 0) return report;

  auto tx = db_.begin();
  if (!tx) return tx.error();
  for (auto& [row, l] : valid) {
    auto id = repo::insert(*tx, l);
    if (!id) return id.error();
    l.id = *id;
    if (auto r = repo::add_event(*tx, l.id, actor.user_id, std::nullopt, l.status,
                                 "imported from CSV", now);
        !r)
      return r.error();
    if (options.submit) {
      // The same step submit() takes, inside this transaction so that a failure anywhere
      // leaves no half-imported file behind.
      l.status = Status::pending_review;
      l.version += 1;
      auto updated = repo::update(*tx, l, l.version - 1);
      if (!updated) return updated.error();
      if (auto r = repo::add_event(*tx, l.id, actor.user_id, Status::draft, l.status,
                                   "submitted for review", now);
          !r)
        return r.error();
    }
    report.created.emplace_back(row, l.id);
  }
  if (auto r = tx->commit(); !r) return r.error();
  report.imported = valid.size();
  report.written = true;
  return report;
}

}  // namespace griha::listings
