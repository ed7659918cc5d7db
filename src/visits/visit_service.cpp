#include "visits/visit_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <random>

#include "leads/visit_link.hpp"
#include "listings/gazetteer.hpp"
#include "notify/outbox.hpp"
#include "notify/templates.hpp"
#include "visits/ics.hpp"

namespace griha::visits {
namespace {

namespace json = boost::json;
using listings::Listing;
using listings::Status;

constexpr std::time_t k_day = 86400;

Error listing_not_found() {
  return Error::make(ErrorKind::not_found, "listing_not_found", "No such listing.");
}
Error visit_not_found() {
  return Error::make(ErrorKind::not_found, "visit_not_found", "No such visit.");
}
Error conflict(std::string code, std::string message) {
  return Error::make(ErrorKind::conflict, std::move(code), std::move(message));
}
// 422: the request is well-formed, but its start names no slot.
Error slot_unavailable(std::string message) {
  Error e = Error::make(ErrorKind::unprocessable, "slot_unavailable", std::move(message));
  e.fields.push_back({"/start", FieldCode::invalid_value, e.message});
  return e;
}

Error too_many(std::string message, int seconds) {
  Error e = Error::make(ErrorKind::rate_limited, "rate_limited", std::move(message));
  e.retry_after_seconds = std::max(1, seconds);
  return e;
}

// Where a party's email may go: only to an address its owner has proved is theirs, since anyone
// can register with someone else's (that person would then get invites and reminders).
std::optional<std::string> mailbox(const Contact& c) {
  if (c.email && c.email_verified) return c.email;
  return std::nullopt;
}

std::string party_name(Party p) {
  return p == Party::seeker ? "seeker" : "lister";
}

std::optional<Party> party_of(const Principal& actor, const VisitRecord& v) {
  if (actor.user_id == v.seeker_id) return Party::seeker;
  if (actor.user_id == v.lister_id) return Party::lister;
  return std::nullopt;
}

// The visit, locked for a change, and the caller's side of it; 404 unless the caller is its
// seeker or its lister.
Result<std::pair<VisitRecord, Party>> locked_visit(storage::Transaction& tx, const Principal& actor,
                                                   std::int64_t visit_id) {
  auto found = repo::find_for_update(tx, visit_id);
  if (!found) return found.error();
  if (!*found) return visit_not_found();
  const auto party = party_of(actor, **found);
  if (!party) return visit_not_found();
  return std::pair{std::move(**found), *party};
}

// 128 random bits: the UID only has to be unique, not secret, so one seeding per thread.
std::string new_uid() {
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seed{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seed);
  }();
  return fmt::format("visit-{:016x}{:016x}@griha", gen(), gen());
}

Result<void> enqueue_all(storage::Transaction& tx, const std::vector<notify::Outgoing>& messages,
                         const std::string& now) {
  for (const auto& m : messages)
    if (auto r = notify::enqueue(tx, m, now); !r) return r.error();
  return {};
}

std::string reminder_key(std::int64_t visit_id) {
  return "visit-reminders:" + std::to_string(visit_id);
}

// "Wed 25 Nov 2026, 10:00–10:30 IST"
std::string when_text(std::time_t start, std::time_t end) {
  std::string s = human_local(start);  // "... 10:00 IST"
  const std::string end_hhmm = iso_local(end).substr(11, 5);
  return s.substr(0, s.size() - 4) + "\u2013" + end_hhmm + " IST";
}

std::string display_name(const Contact& c) {
  if (!c.name.empty()) return c.name;
  if (c.email) return *c.email;
  return "Griha user";
}

std::string title_of(const VisitRecord& v) {
  return v.listing_title.empty() ? "Listing #" + std::to_string(v.listing_id) : v.listing_title;
}

}  // namespace

VisitOptions deployment_options(VisitOptions options, const std::string& public_url,
                                const std::string& email_from) {
  options.public_url = public_url;
  while (!options.public_url.empty() && options.public_url.back() == '/')
    options.public_url.pop_back();
  const auto lt = email_from.find('<'), gt = email_from.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
    options.organizer_email = email_from.substr(lt + 1, gt - lt - 1);
    std::string name = email_from.substr(0, lt);
    name.erase(name.find_last_not_of(" \"") + 1);
    name.erase(0, name.find_first_not_of(" \""));
    if (!name.empty()) options.organizer_name = name;
  } else if (!email_from.empty()) {
    options.organizer_email = email_from;
  }
  return options;
}

struct VisitService::Parties {
  Contact seeker, lister;
};

json::object to_json(const VisitRecord& v, Party viewer) {
  const std::time_t start = from_iso_utc(v.start_at), end = from_iso_utc(v.end_at);
  json::object o{{"id", v.id},
                 {"listing_id", v.listing_id},
                 {"listing_title", v.listing_title},
                 {"status", v.status},
                 {"start", v.start_at},
                 {"end", v.end_at},
                 {"start_local", iso_local(start)},
                 {"end_local", iso_local(end)},
                 {"timezone", k_timezone},
                 {"note", v.note},
                 {"your_role", party_name(viewer)},
                 {"cancelled_by", v.cancelled_by ? json::value(*v.cancelled_by) : json::value()},
                 {"cancel_reason", v.cancel_reason},
                 {"reschedule_reason", v.reschedule_reason},
                 {"outcome_at", v.outcome_at ? json::value(*v.outcome_at) : json::value()},
                 {"created_at", v.created_at},
                 {"updated_at", v.updated_at}};
  // The seeker's contact details go to the lister of the visit and nobody else.
  if (viewer == Party::lister) {
    o["seeker"] = {{"id", v.seeker_id},
                   {"name", v.seeker_name},
                   {"email", v.seeker_email ? json::value(*v.seeker_email) : json::value()},
                   {"phone", v.seeker_phone ? json::value(*v.seeker_phone) : json::value()}};
  }
  return o;
}

VisitService::VisitService(storage::Database& db, listings::ListingService& listings,
                           const listings::Gazetteer& gazetteer, VisitOptions options, Clock clock,
                           std::function<void()> wake)
    : db_(db),
      listings_(listings),
      gazetteer_(gazetteer),
      options_(std::move(options)),
      clock_(std::move(clock)),
      wake_(std::move(wake)),
      ip_limiter_(options_.ip_rate_per_minute),
      seeker_limiter_(options_.seeker_rate_per_minute) {}

Result<void> VisitService::check_rate(const Principal& actor, const std::string& ip) {
  // A monotonic clock: wall-clock jumps must neither refill nor drain the buckets.
  const double t =
      std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  if (!ip.empty())
    if (int wait = ip_limiter_.take("visit-change|ip|" + ip, t))
      return too_many("Too many visit bookings from this address; wait before trying again.", wait);
  if (int wait = seeker_limiter_.take("visit-change|" + std::to_string(actor.user_id), t))
    return too_many("Too many visit bookings and changes; wait before trying again.", wait);
  return {};
}

Result<Listing> VisitService::listing_for_lister(const Principal& actor, std::int64_t listing_id) {
  auto l = listings_.get(actor, listing_id);
  if (!l) return l.error();
  if (actor.admin() || l->owner_id == actor.user_id) return l;
  // get() shows others only active listings, which are public: "not yours" reveals nothing.
  return Error::make(ErrorKind::forbidden, "not_listing_owner",
                     "Only the lister or an administrator may manage this listing's visits.");
}

Result<std::optional<Availability>> VisitService::availability(const Principal& actor,
                                                               std::int64_t listing_id) {
  if (auto l = listing_for_lister(actor, listing_id); !l) return l.error();
  return repo::availability(db_, listing_id);
}

Result<Availability> VisitService::set_availability(const Principal& actor, std::int64_t listing_id,
                                                    const Availability& availability) {
  if (auto l = listing_for_lister(actor, listing_id); !l) return l.error();
  return repo::put_availability(db_, listing_id, availability, actor.user_id, iso_utc(clock_()));
}

std::optional<Error> VisitService::check_offered(const std::optional<Availability>& a,
                                                 std::time_t start, std::time_t now) const {
  if (!a || a->windows.empty()) return slot_unavailable("This listing takes no visit bookings.");
  if (start < now + std::time_t{options_.min_notice_minutes} * 60)
    return slot_unavailable("That slot is too soon to book; choose a later one.");
  if (start > now + std::time_t{options_.horizon_days} * k_day)
    return slot_unavailable("That slot is too far ahead to book yet.");
  if (!slot_starting_at(*a, start))
    return slot_unavailable("That time is not one of the listing's visit slots.");
  return std::nullopt;
}

Result<std::vector<SlotView>> VisitService::slots(std::int64_t listing_id,
                                                  std::optional<LocalDate> from, int days) {
  auto l = listings_.get(std::nullopt, listing_id);  // public: active listings only
  if (!l) return l.error();
  auto a = repo::availability(db_, listing_id);
  if (!a) return a.error();
  std::vector<SlotView> out;
  if (!*a) return out;
  const std::time_t now = clock_();
  const std::time_t earliest = now + std::time_t{options_.min_notice_minutes} * 60;
  const std::time_t latest = now + std::time_t{options_.horizon_days} * k_day;
  for (const Slot& s : generate_slots(**a, from.value_or(local_date(now)), days))
    if (s.start >= earliest && s.start <= latest) out.push_back({s, 0});
  if (out.empty()) return out;
  auto booked = repo::booked(db_, listing_id, iso_utc(out.front().slot.start),
                             iso_utc(out.back().slot.start + 1));
  if (!booked) return booked.error();
  for (auto& s : out) {
    const auto it = booked->find(iso_utc(s.slot.start));
    const std::int64_t taken = it == booked->end() ? 0 : it->second;
    s.available = std::max<std::int64_t>(0, (*a)->visitors_per_slot - taken);
  }
  return out;
}

Result<VisitService::Parties> VisitService::parties(storage::Transaction& tx,
                                                    const VisitRecord& v) {
  // Both read afresh: whether an address is verified decides whether it is sent mail.
  auto seeker = repo::contact(tx, v.seeker_id);
  if (!seeker) return seeker.error();
  auto lister = repo::contact(tx, v.lister_id);
  if (!lister) return lister.error();
  return Parties{std::move(*seeker), std::move(*lister)};
}

std::string VisitService::location_of(const VisitRecord& v) const {
  std::string out;
  if (const auto* loc = gazetteer_.locality(v.listing_locality_id)) out = loc->name;
  if (const auto* city = gazetteer_.city(v.listing_city_id))
    out += (out.empty() ? "" : ", ") + city->name;
  return out;
}

// One email per party with an address, each carrying the invite. The seeker's copy names only
// the seeker; the lister's copy also names the seeker, whose details the lister may see. The
// organizer is Griha itself, so no copy reveals the lister's address to the seeker.
Result<std::vector<notify::Outgoing>> VisitService::invites(const VisitRecord& v, const Parties& p,
                                                            const std::string& template_base,
                                                            const std::string& kind, bool cancel,
                                                            json::object extra,
                                                            const std::string& now) const {
  std::vector<notify::Outgoing> out;
  const std::time_t start = from_iso_utc(v.start_at), end = from_iso_utc(v.end_at);
  const std::string listing_url = options_.public_url + "/listings/" + std::to_string(v.listing_id);
  const std::string location = location_of(v);
  Invite invite;
  invite.method = cancel ? Invite::Method::cancel : Invite::Method::request;
  invite.uid = v.ical_uid;
  invite.sequence = static_cast<int>(v.ical_sequence);
  invite.start = start;
  invite.end = end;
  invite.stamp = from_iso_utc(now);
  invite.summary = "Site visit: " + title_of(v);
  invite.location = location;
  invite.url = listing_url;
  invite.organizer = {options_.organizer_email, options_.organizer_name};
  // An unverified address is left out of the invites too (attendees without one are).
  const InvitePerson seeker{mailbox(p.seeker).value_or(""), display_name(p.seeker)};
  const InvitePerson lister{mailbox(p.lister).value_or(""), display_name(p.lister)};

  for (const Party to : {Party::seeker, Party::lister}) {
    const Contact& c = to == Party::seeker ? p.seeker : p.lister;
    // A phone-only account, or one whose address is unverified, gets the in-app notice only.
    const auto address = mailbox(c);
    if (!address) continue;
    invite.attendees = to == Party::seeker ? std::vector{seeker} : std::vector{lister, seeker};
    invite.description =
        (cancel ? "This site visit was cancelled.\n" : "Site visit booked through Griha.\n") +
        std::string("Listing: ") + listing_url;
    auto ics = make_ics(invite);
    if (!ics) return ics.error();
    json::object values = extra;
    values["name"] = display_name(c);
    values["listing_title"] = title_of(v);
    values["listing_url"] = listing_url;
    values["when"] = when_text(start, end);
    values["location"] = location.empty() ? "shared by the lister" : location;
    values["note"] = v.note.empty() ? "(none)" : v.note;
    values["seeker_name"] = display_name(p.seeker);
    values["seeker_email"] = p.seeker.email.value_or("(not given)");
    values["seeker_phone"] = p.seeker.phone.value_or("(not given)");
    const std::string name =
        template_base + (to == Party::lister && template_base == "visit_booked" ? "_lister" : "");
    auto rendered = notify::render(name, values);
    if (!rendered) return rendered.error();
    notify::Outgoing m;
    m.channel = notify::Channel::email;
    m.kind = kind + (to == Party::lister ? ".lister" : ".seeker");
    m.to = *address;
    m.subject = std::move(rendered->subject);
    m.text = std::move(rendered->text);
    m.html = std::move(rendered->html);
    m.attachments.push_back(
        {cancel ? "cancel.ics" : "invite.ics", ics_content_type(invite.method), std::move(*ics)});
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<notify::Outgoing>> VisitService::reminders(const VisitRecord& v,
                                                              const Parties& p,
                                                              std::time_t now) const {
  std::vector<notify::Outgoing> out;
  const auto address = mailbox(p.seeker);
  if (!address) return out;
  const std::time_t start = from_iso_utc(v.start_at), end = from_iso_utc(v.end_at);
  struct Lead {
    std::time_t before;
    const char* words;
  };
  for (const Lead lead : {Lead{24 * 3600, "tomorrow"}, Lead{2 * 3600, "in two hours"}}) {
    const std::time_t at = start - lead.before;
    if (at <= now) continue;  // booked too late for this one
    auto rendered = notify::render(
        "visit_reminder",
        json::object{
            {"name", display_name(p.seeker)},
            {"listing_title", title_of(v)},
            {"listing_url", options_.public_url + "/listings/" + std::to_string(v.listing_id)},
            {"when", when_text(start, end)},
            {"lead_time", lead.words},
            {"location", location_of(v).empty() ? "shared by the lister" : location_of(v)}});
    if (!rendered) return rendered.error();
    notify::Outgoing m;
    m.kind = "visit.reminder";
    m.to = *address;
    m.subject = std::move(rendered->subject);
    m.text = std::move(rendered->text);
    m.html = std::move(rendered->html);
    m.cancel_key = reminder_key(v.id);
    m.send_at = iso_utc(at);
    out.push_back(std::move(m));
  }
  return out;
}

Result<VisitRecord> VisitService::book(const Principal& actor, std::int64_t listing_id,
                                       std::time_t start, const std::string& note,
                                       const std::string& ip,
                                       const BeforeCommit<VisitRecord>& before_commit) {
  if (auto r = check_rate(actor, ip); !r) return r.error();
  auto l = listings_.get(actor, listing_id);
  if (!l) return l.error();
  if (l->owner_id == actor.user_id)
    return Error::make(ErrorKind::forbidden, "own_listing",
                       "You cannot book a visit to your own listing.");
  if (l->status != Status::active) return listing_not_found();
  const std::time_t now_t = clock_();
  const std::string now = iso_utc(now_t);

  // Everything that needs no lock comes first: a start that names no slot is refused without
  // touching the write lock, and the messages (templates, calendar invites) are rendered
  // before it is taken, since SQLite has one writer at a time.
  auto hours = repo::availability(db_, listing_id);
  if (!hours) return hours.error();
  if (auto why = check_offered(*hours, start, now_t)) return *why;
  auto seeker = repo::contact(db_, actor.user_id);
  if (!seeker) return seeker.error();
  auto lister = repo::contact(db_, l->owner_id);
  if (!lister) return lister.error();
  const Parties p{std::move(*seeker), std::move(*lister)};

  VisitRecord v;
  v.listing_id = listing_id;
  v.lister_id = l->owner_id;
  v.seeker_id = actor.user_id;
  v.status = "booked";
  v.note = note;
  v.ical_uid = new_uid();
  v.created_at = v.updated_at = now;
  v.listing_title = l->title.value_or("");
  v.listing_status = "active";
  v.listing_locality_id = l->locality_id.value_or(0);
  v.listing_city_id = l->city_id.value_or(0);
  v.seeker_name = p.seeker.name;
  v.seeker_email = p.seeker.email;
  v.seeker_phone = p.seeker.phone;
  std::vector<notify::Outgoing> messages;
  auto prepare = [&](const Slot& slot) -> Result<void> {
    v.start_at = iso_utc(slot.start);
    v.end_at = iso_utc(slot.end);
    auto mail = invites(v, p, "visit_booked", "visit.booked", false, {}, now);
    if (!mail) return mail.error();
    auto later = reminders(v, p, now_t);
    if (!later) return later.error();
    messages = std::move(*mail);
    for (auto& m : *later) messages.push_back(std::move(m));
    return {};
  };
  Slot slot = *slot_starting_at(**hours, start);
  if (auto r = prepare(slot); !r) return r.error();

  auto tx = db_.begin();
  if (!tx) return tx.error();
  // The hours again, under the lock: the lister may have changed them meanwhile.
  auto a = repo::availability(*tx, listing_id);
  if (!a) return a.error();
  if (auto why = check_offered(*a, start, now_t)) return *why;
  if (const Slot now_slot = *slot_starting_at(**a, start); now_slot.end != slot.end) {
    slot = now_slot;  // the slot length changed: the messages must say so
    if (auto r = prepare(slot); !r) return r.error();
  }

  // The caps are counted under a per-seeker lock, so that concurrent requests of one seeker
  // queue here and each sees the bookings committed before it.
  if (auto r = repo::lock_seeker(*tx, actor.user_id); !r) return r.error();
  auto held = repo::seeker_holds(*tx, listing_id, actor.user_id, v.start_at);
  if (!held) return held.error();
  if (*held) return conflict("already_booked", "You have already booked this slot.");
  auto live = repo::live_visits(*tx, actor.user_id, listing_id, now);
  if (!live) return live.error();
  if (live->on_listing >= options_.max_per_listing)
    return conflict("visit_limit_per_listing",
                    fmt::format("You already have {} upcoming visits to this listing; cancel one "
                                "to book another.",
                                live->on_listing));
  if (live->total >= options_.max_active)
    return conflict("visit_limit_active",
                    fmt::format("You already have {} upcoming site visits booked; cancel one to "
                                "book another.",
                                live->total));
  if (auto r = repo::ensure_slot(*tx, listing_id, v.start_at, (*a)->visitors_per_slot); !r)
    return r.error();
  auto taken = repo::take_slot(*tx, listing_id, v.start_at, (*a)->visitors_per_slot);
  if (!taken) return taken.error();
  if (!*taken) return conflict("slot_full", "That slot is fully booked; choose another.");

  auto id = repo::insert(*tx, v);
  if (!id) {
    // The unique index: the same seeker's other request for this slot committed first.
    if (id.error().kind == ErrorKind::conflict)
      return conflict("already_booked", "You have already booked this slot.");
    return id.error();
  }
  v.id = *id;
  if (auto r =
          repo::add_event(*tx, v.id, actor.user_id, "booked", std::nullopt, v.start_at, "", now);
      !r)
    return r.error();
  for (auto& m : messages) {
    if (!m.cancel_key.empty()) m.cancel_key = reminder_key(v.id);  // known only now
    if (auto r = notify::enqueue(*tx, m, now); !r) return r.error();
  }
  if (auto r = notify::notify_in_app(*tx,
                                     {v.lister_id, "visit.booked", "New site visit booked",
                                      display_name(p.seeker) + " will visit " + title_of(v) +
                                          " on " + when_text(slot.start, slot.end) + ".",
                                      "/dashboard/visits/" + std::to_string(v.id)},
                                     now);
      !r)
    return r.error();
  if (auto r = leads::advance_for_visit(*tx, v.listing_id, v.seeker_id, "visit_scheduled", now); !r)
    return r.error();
  if (before_commit)
    if (auto r = before_commit(*tx, v); !r) return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  if (wake_) wake_();
  return v;
}

Result<std::pair<VisitRecord, Party>> VisitService::get(const Principal& actor, std::int64_t visit_id) {
  auto v = repo::find(db_, visit_id);
  if (!v) return v.error();
  if (!*v) return visit_not_found();
  const auto party = party_of(actor, **v);
  if (!party) return visit_not_found();
  return std::pair{std::move(**v), *party};
}

Result<std::pair<VisitRecord, Party>> VisitService::reschedule(const Principal& actor,
                                                               std::int64_t visit_id,
                                                               std::time_t start,
                                                               const std::string& reason,
                                                               const std::string& ip) {
  if (auto r = check_rate(actor, ip); !r) return r.error();
  const std::time_t now_t = clock_();
  const std::string now = iso_utc(now_t);
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto locked = locked_visit(*tx, actor, visit_id);
  if (!locked) return locked.error();
  auto [v, party] = std::move(*locked);
  if (v.status != "booked")
    return conflict("visit_not_booked", "Only a booked visit can be rescheduled.");
  const std::time_t old_start = from_iso_utc(v.start_at);
  if (old_start <= now_t)
    return conflict("visit_started", "The visit has already started; record its outcome instead.");
  if (v.listing_status != "active")
    return conflict("listing_not_active", "The listing is no longer on the market.");
  if (start == old_start)
    return Error::field("/start", FieldCode::inconsistent, "is the visit's current time");

  auto a = repo::availability(*tx, v.listing_id);
  if (!a) return a.error();
  if (auto why = check_offered(*a, start, now_t)) return *why;
  const Slot slot = *slot_starting_at(**a, start);
  const std::string start_at = iso_utc(slot.start);
  auto held = repo::seeker_holds(*tx, v.listing_id, v.seeker_id, start_at);
  if (!held) return held.error();
  if (*held) return conflict("already_booked", "The visitor already has that slot booked.");
  if (auto r = repo::ensure_slot(*tx, v.listing_id, start_at, (*a)->visitors_per_slot); !r)
    return r.error();
  auto taken = repo::take_slot(*tx, v.listing_id, start_at, (*a)->visitors_per_slot);
  if (!taken) return taken.error();
  if (!*taken) return conflict("slot_full", "That slot is fully booked; choose another.");
  if (auto r = repo::release_slot(*tx, v.listing_id, v.start_at); !r) return r.error();

  const std::string old_at = v.start_at;
  const std::string old_when = when_text(old_start, from_iso_utc(v.end_at));
  v.start_at = start_at;
  v.end_at = iso_utc(slot.end);
  v.ical_sequence += 1;  // calendars replace the event only for a higher SEQUENCE
  v.reschedule_reason = reason;
  v.updated_at = now;
  if (auto r = repo::update(*tx, v); !r) {
    if (r.error().kind == ErrorKind::conflict)
      return conflict("already_booked", "The visitor already has that slot booked.");
    return r.error();
  }
  if (auto r =
          repo::add_event(*tx, v.id, actor.user_id, "rescheduled", old_at, start_at, reason, now);
      !r)
    return r.error();
  auto p = parties(*tx, v);
  if (!p) return p.error();
  if (auto r = notify::cancel_pending(*tx, reminder_key(v.id)); !r) return r.error();
  auto later = reminders(v, *p, now_t);
  if (!later) return later.error();
  if (auto r = enqueue_all(*tx, *later, now); !r) return r.error();
  const std::string by = party == Party::seeker ? "the visitor" : "the lister";
  auto mail = invites(v, *p, "visit_rescheduled", "visit.rescheduled", false,
                      {{"old_when", old_when}, {"reason", reason}, {"by", by}}, now);
  if (!mail) return mail.error();
  if (auto r = enqueue_all(*tx, *mail, now); !r) return r.error();
  const std::int64_t other = party == Party::seeker ? v.lister_id : v.seeker_id;
  if (auto r =
          notify::notify_in_app(*tx,
                                {other, "visit.rescheduled", "Site visit rescheduled",
                                 title_of(v) + ": moved by " + by + " from " + old_when + " to " +
                                     when_text(slot.start, slot.end) + ". Reason: " + reason,
                                 "/dashboard/visits/" + std::to_string(v.id)},
                                now);
      !r)
    return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  if (wake_) wake_();
  return std::pair{std::move(v), party};
}

Result<std::pair<VisitRecord, Party>> VisitService::cancel(const Principal& actor,
                                                           std::int64_t visit_id,
                                                           const std::string& reason) {
  const std::time_t now_t = clock_();
  const std::string now = iso_utc(now_t);
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto locked = locked_visit(*tx, actor, visit_id);
  if (!locked) return locked.error();
  auto [v, party] = std::move(*locked);
  if (v.status != "booked")
    return conflict("visit_not_booked", "Only a booked visit can be cancelled.");
  if (from_iso_utc(v.start_at) <= now_t)
    return conflict("visit_started", "The visit has already started; record its outcome instead.");
  if (auto r = repo::release_slot(*tx, v.listing_id, v.start_at); !r) return r.error();
  v.status = "cancelled";
  v.cancelled_by = party_name(party);
  v.cancel_reason = reason;
  v.ical_sequence += 1;
  v.updated_at = now;
  if (auto r = repo::update(*tx, v); !r) return r.error();
  if (auto r = repo::add_event(*tx, v.id, actor.user_id, "cancelled", v.start_at, std::nullopt,
                               reason, now);
      !r)
    return r.error();
  if (auto r = notify::cancel_pending(*tx, reminder_key(v.id)); !r) return r.error();
  auto p = parties(*tx, v);
  if (!p) return p.error();
  const std::string by = party == Party::seeker ? "the visitor" : "the lister";
  auto mail = invites(v, *p, "visit_cancelled", "visit.cancelled", true,
                      {{"reason", reason}, {"by", by}}, now);
  if (!mail) return mail.error();
  if (auto r = enqueue_all(*tx, *mail, now); !r) return r.error();
  const std::int64_t other = party == Party::seeker ? v.lister_id : v.seeker_id;
  if (auto r = notify::notify_in_app(
          *tx,
          {other, "visit.cancelled", "Site visit cancelled",
           title_of(v) + ", " + when_text(from_iso_utc(v.start_at), from_iso_utc(v.end_at)) +
               ": cancelled by " + by + ". Reason: " + reason,
           "/dashboard/visits/" + std::to_string(v.id)},
          now);
      !r)
    return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  if (wake_) wake_();
  return std::pair{std::move(v), party};
}

Result<VisitRecord> VisitService::record_outcome(const Principal& actor, std::int64_t visit_id,
                                                 const std::string& outcome) {
  const std::time_t now_t = clock_();
  const std::string now = iso_utc(now_t);
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto locked = locked_visit(*tx, actor, visit_id);
  if (!locked) return locked.error();
  auto [v, party] = std::move(*locked);
  if (party != Party::lister)
    return Error::make(ErrorKind::forbidden, "not_visit_lister",
                       "Only the lister records whether a visit took place.");
  if (v.status == "cancelled") return conflict("visit_cancelled", "The visit was cancelled.");
  if (from_iso_utc(v.start_at) > now_t)
    return conflict("visit_not_started", "A visit's outcome can be recorded once it has started.");
  v.status = outcome;
  v.outcome_at = now;
  v.updated_at = now;
  if (auto r = repo::update(*tx, v); !r) return r.error();
  if (auto r =
          repo::add_event(*tx, v.id, actor.user_id, outcome, std::nullopt, std::nullopt, "", now);
      !r)
    return r.error();
  if (outcome == "visited")
    if (auto r = leads::advance_for_visit(*tx, v.listing_id, v.seeker_id, "visited", now); !r)
      return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  return v;
}

Result<std::pair<std::string, std::string>> VisitService::list_range(
    std::optional<LocalDate> from, std::optional<LocalDate> to) const {
  const LocalDate first = from.value_or(local_date(clock_()));
  const LocalDate last = to.value_or(first + std::chrono::days(k_default_list_days));
  if (last < first)
    return Error::field("/to", FieldCode::inconsistent, "must not be before from", FieldIn::query);
  if (last - first > std::chrono::days(k_max_list_days))
    return Error::field("/to", FieldCode::out_of_range,
                        "at most " + std::to_string(k_max_list_days) + " days after from",
                        FieldIn::query);
  return std::pair{iso_utc(local_to_utc(first, 0)),
                   iso_utc(local_to_utc(last + std::chrono::days(1), 0))};
}

Result<std::vector<VisitRecord>> VisitService::mine(const Principal& actor,
                                                    std::optional<LocalDate> from,
                                                    std::optional<LocalDate> to) {
  auto range = list_range(from, to);
  if (!range) return range.error();
  return repo::by_seeker(db_, actor.user_id, range->first, range->second, k_list_limit);
}

Result<std::vector<VisitRecord>> VisitService::hosted(const Principal& actor,
                                                      std::optional<LocalDate> from,
                                                      std::optional<LocalDate> to,
                                                      std::optional<std::int64_t> listing_id) {
  auto range = list_range(from, to);
  if (!range) return range.error();
  return repo::by_lister(db_, actor.user_id, range->first, range->second, listing_id, k_list_limit);
}

}  // namespace griha::visits
