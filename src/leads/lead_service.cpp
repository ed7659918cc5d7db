#include "leads/lead_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>
#include <map>

#include "auth/model.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "core/validation.hpp"
#include "listings/gazetteer.hpp"
#include "notify/outbox.hpp"
#include "notify/templates.hpp"

namespace griha::leads {
namespace {

namespace json = boost::json;

constexpr std::time_t k_repeat_window = 24 * 3600;  // the same seeker and listing: one lead
constexpr std::time_t k_cap_window = 24 * 3600;     // the guests' inquiry cap
constexpr std::size_t k_message_max = 2000;
constexpr std::size_t k_name_max = 100;
constexpr std::size_t k_note_max = 2000;
constexpr std::size_t k_reason_max = 500;
constexpr std::size_t k_agency_name_max = 200;
constexpr int k_export_page = 500;
constexpr std::size_t k_export_max_rows = 100000;

Error too_many(std::string code, std::string message, std::int64_t seconds) {
  Error e = Error::make(ErrorKind::rate_limited, std::move(code), std::move(message));
  e.retry_after_seconds = static_cast<int>(std::max<std::int64_t>(1, seconds));
  return e;
}

Error lead_not_found() {
  return Error::make(ErrorKind::not_found, "lead_not_found", "No such lead.");
}

Error listing_not_found() {
  return Error::make(ErrorKind::not_found, "listing_not_found",
                     "No such listing, or it is not open to inquiries.");
}

Error token_invalid(std::string detail) {
  return Error::make(ErrorKind::unauthenticated, "contact_token_invalid",
                     "The contact token is invalid or has expired; verify your phone number or "
                     "email address again.",
                     std::move(detail));
}

// A text field: trimmed, plain text, 1..max characters; records a problem otherwise.
std::optional<std::string> text_field(Problems& problems, std::string_view field,
                                      const std::optional<std::string>& value, std::size_t max,
                                      bool multiline) {
  const std::string at = json_pointer(field);
  if (!value) {
    problems.add(at, FieldCode::required, "is required");
    return std::nullopt;
  }
  return read_text(*value, TextRule{1, max, multiline}, problems, at);
}

// "phone:+91…" or "email:…" from exactly one of the two.
Result<std::string> contact_of(const std::optional<std::string>& phone,
                               const std::optional<std::string>& email) {
  if (phone.has_value() == email.has_value())
    return Error::field(phone ? "/email" : "/phone",
                        phone ? FieldCode::inconsistent : FieldCode::required,
                        "give either a phone number or an email address");
  if (phone) {
    auto p = auth::normalize_indian_mobile(*phone);
    if (!p)
      return Error::field("/phone", FieldCode::invalid_value,
                          "must be an Indian mobile number: +91 and 10 digits");
    return "phone:" + *p;
  }
  auto e = auth::normalize_email(*email);
  if (!e) return Error::field("/email", FieldCode::invalid_value, "must be an email address");
  return "email:" + *e;
}

std::string_view contact_value(std::string_view contact) {
  return contact.substr(contact.find(':') + 1);
}

bool is_phone(std::string_view contact) {
  return contact.starts_with("phone:");
}

// Whether `agent` may work leads of `lister` now: an active agent of the lister's agency. The
// rule for assigning a lead, and for an assignee to keep it.
bool works_for(const repo::UserRef& agent, const repo::UserRef& lister) {
  return lister.agency_id && agent.role == "agent" && agent.status == "active" &&
         agent.agency_id == lister.agency_id;
}

repo::SeekerInquiry seeker_view(const Lead& l) {
  return {l.id,    l.listing_id,    l.listing_title, l.message,   l.preferred_contact_time,
          l.stage, l.inquiry_count, l.created_at,    l.updated_at};
}

// The lister's messages about an inquiry, written in the inquiry's transaction. The seeker's
// contact goes to the lister here and nowhere else: so email and SMS go only to an address or
// number the lister has proven (an unverified one may be anybody's, typed in by mistake or on
// purpose); the in-app notification always.
Result<void> notify_lister(storage::Transaction& tx, const repo::UserRef& lister, const Lead& lead,
                           bool created, const std::string& public_url, const std::string& now) {
  const std::string link_path = "/dashboard/leads/" + std::to_string(lead.id);
  const json::object values{{"lister_name", lister.name.empty() ? "there" : lister.name},
                            {"listing_title", lead.listing_title},
                            {"listing_id", lead.listing_id},
                            {"contact_name", lead.contact_name},
                            {"has_phone", lead.contact_phone.has_value()},
                            {"contact_phone", lead.contact_phone.value_or("")},
                            {"has_email", lead.contact_email.has_value()},
                            {"contact_email", lead.contact_email.value_or("")},
                            {"message", lead.message},
                            {"preferred_contact_time", lead.preferred_contact_time},
                            {"inquiry_count", lead.inquiry_count},
                            {"followup", !created},
                            {"link", public_url + link_path}};
  const std::string kind = created ? "lead.new" : "lead.followup";
  if (lister.email && lister.email_verified) {
    auto email = notify::render(created ? "lead_new" : "lead_followup", values);
    if (!email) return email.error();
    notify::Outgoing m;
    m.channel = notify::Channel::email;
    m.kind = kind;
    m.to = *lister.email;
    m.subject = std::move(email->subject);
    m.text = std::move(email->text);
    m.html = std::move(email->html);
    if (auto r = notify::enqueue(tx, m, now); !r) return r.error();
  }
  if (lister.phone && lister.phone_verified) {
    auto sms = notify::render("lead_sms", values);
    if (!sms) return sms.error();
    notify::Outgoing m;
    m.channel = notify::Channel::sms;
    m.kind = kind;
    m.to = *lister.phone;
    m.text = std::move(sms->text);
    if (auto r = notify::enqueue(tx, m, now); !r) return r.error();
  }
  notify::InAppNotification n;
  n.user_id = lister.id;
  n.kind = kind;
  n.title = (created ? "New inquiry: " : "Follow-up inquiry: ") + lead.listing_title;
  n.body = lead.contact_name + ": " + lead.message;
  n.link = link_path;
  return notify::notify_in_app(tx, n, now);
}

}  // namespace

LeadService::LeadService(storage::Database& db, const listings::Gazetteer& gazetteer,
                         LeadOptions options, std::string public_url, Clock clock,
                         std::function<void()> wake)
    : db_(db),
      gazetteer_(gazetteer),
      options_(std::move(options)),
      public_url_(std::move(public_url)),
      clock_(clock ? std::move(clock) : system_clock()),
      wake_(std::move(wake)),
      tokens_(options_.contact_key),
      codes_({"leads.contact", "code", options_.code_resend_seconds,
              options_.codes_per_contact_per_day}),
      ip_limiter_(options_.ip_rate_per_minute),
      seeker_limiter_(options_.seeker_rate_per_minute) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

Result<void> LeadService::check_rate(const std::string& action, const std::string& ip,
                                     const std::string& who) {
  // A monotonic clock: wall-clock jumps must neither refill nor drain the buckets.
  const double t =
      std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  if (!ip.empty())
    if (int wait = ip_limiter_.take(action + "|ip|" + ip, t))
      return too_many("rate_limited", "Too many requests; wait before trying again.", wait);
  if (!who.empty())
    if (int wait = seeker_limiter_.take(action + "|" + who, t))
      return too_many("rate_limited", "Too many requests; wait before trying again.", wait);
  return {};
}

Result<void> LeadService::request_contact_code(const std::optional<std::string>& phone,
                                               const std::optional<std::string>& email,
                                               const std::string& ip) {
  auto contact = contact_of(phone, email);
  if (!contact) return contact.error();
  if (auto r = check_rate("code", ip, *contact); !r) return r.error();
  const auto t = now();
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto code = codes_.issue(*tx, *contact, t);
  if (!code) return code.error();
  const bool sms = is_phone(*contact);
  auto rendered =
      notify::render(sms ? "lead_contact_code_sms" : "lead_contact_code",
                     json::object{{"code", *code}, {"minutes", k_code_ttl_seconds / 60}});
  if (!rendered) return rendered.error();
  notify::Outgoing m;
  m.channel = sms ? notify::Channel::sms : notify::Channel::email;
  m.kind = "lead.contact_code";
  m.to = std::string(contact_value(*contact));
  m.subject = sms ? std::string() : std::move(rendered->subject);
  m.text = std::move(rendered->text);
  m.html = sms ? std::string() : std::move(rendered->html);
  if (auto r = notify::enqueue(*tx, m, iso_utc(t)); !r) return r.error();
  if (auto c = tx->commit(); !c) return c.error();
  if (wake_) wake_();
  return {};
}

Result<IssuedToken> LeadService::verify_contact_code(const std::optional<std::string>& phone,
                                                     const std::optional<std::string>& email,
                                                     const std::string& code,
                                                     const std::string& ip) {
  auto contact = contact_of(phone, email);
  if (!contact) return contact.error();
  if (auto r = check_rate("verify", ip, *contact); !r) return r.error();
  const auto t = now();
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto check = codes_.verify(*tx, *contact, code, t);
  if (!check) return check.error();
  if (auto c = tx->commit(); !c) return c.error();
  if (*check == VerificationCodes::Check::rejected) return codes_.invalid();
  const std::time_t expires = t + options_.contact_token_ttl_seconds;
  return IssuedToken{tokens_.issue(*contact, expires), iso_utc(expires)};
}

Result<InquiryOutcome> LeadService::inquire(std::int64_t listing_id,
                                            std::optional<std::int64_t> user_id,
                                            const std::string& ip, const InquiryInput& in,
                                            const BeforeCommit<InquiryOutcome>& before_commit) {
  // Every attempt counts against the IP, spam included.
  if (auto r = check_rate("inquiry", ip, ""); !r) return r.error();
  if (in.website && !in.website->empty()) {
    // People never see the field; whatever fills it is a bot. Nothing is stored.
    Error e = Error::make(ErrorKind::invalid, "rejected_as_spam", "The inquiry was rejected.");
    e.fields.push_back({"/website", FieldCode::invalid_value, "must be left empty"});
    return e;
  }

  Problems problems;
  auto message = text_field(problems, "message", in.message, k_message_max, true);
  const std::string contact_time = in.preferred_contact_time.value_or("anytime");
  if (!is_contact_time(contact_time))
    problems.add("/preferred_contact_time", FieldCode::invalid_value,
                 "must be one of morning, afternoon, evening or anytime");
  std::optional<std::string> guest_name;
  if (!user_id) guest_name = text_field(problems, "name", in.name, k_name_max, false);
  if (!problems.empty()) return problems.error();

  const auto t = now();
  const std::string now_iso = iso_utc(t);
  Lead lead;
  lead.listing_id = listing_id;
  lead.message = *message;
  lead.preferred_contact_time = contact_time;
  std::string seeker_key;
  std::optional<std::string> guest_contact;
  if (!user_id) {
    if (!in.contact_token || in.contact_token->empty())
      return Error::make(ErrorKind::unauthenticated, "contact_verification_required",
                         "Verify your phone number or email address first, or sign in.");
    auto verified = tokens_.verify(*in.contact_token, t);
    if (!verified) return token_invalid("bad signature or expired");
    if (in.phone || in.email) {
      // A form that sends the number along must send the one that was verified.
      auto claimed =
          in.phone ? contact_of(in.phone, std::nullopt) : contact_of(std::nullopt, in.email);
      if (!claimed) return claimed.error();
      if (*claimed != verified->contact)
        return token_invalid("token for " + verified->contact + ", body names " + *claimed);
    }
    guest_contact = verified->contact;
    seeker_key = verified->contact;
    lead.contact_name = *guest_name;
    if (is_phone(*guest_contact))
      lead.contact_phone = std::string(contact_value(*guest_contact));
    else
      lead.contact_email = std::string(contact_value(*guest_contact));
  } else {
    seeker_key = "user:" + std::to_string(*user_id);
    lead.seeker_user_id = user_id;
  }
  if (auto r = check_rate("inquiry", "", seeker_key); !r) return r.error();

  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto listing = repo::listing(*tx, listing_id);
  if (!listing) return listing.error();
  if (!*listing || (*listing)->status != "active") return listing_not_found();
  auto lister = repo::user(*tx, (*listing)->owner_id);
  if (!lister) return lister.error();
  if (!*lister) return Error::internal("listing " + std::to_string(listing_id) + " has no owner");
  const Error own = Error::make(ErrorKind::forbidden, "own_listing",
                                "You cannot send an inquiry on your own listing.");
  if (user_id) {
    if (*user_id == (*listing)->owner_id) return own;
    auto me = repo::user(*tx, *user_id);
    if (!me) return me.error();
    if (!*me || (*me)->status != "active")
      return Error::make(ErrorKind::forbidden, "account_locked", "This account cannot inquire.");
    lead.contact_name = (*me)->name;
    lead.contact_phone = (*me)->phone;
    lead.contact_email = (*me)->email;
  } else if ((lead.contact_phone && lead.contact_phone == (*lister)->phone) ||
             (lead.contact_email && lead.contact_email == (*lister)->email)) {
    return own;
  }
  lead.lister_id = (*listing)->owner_id;
  lead.listing_title = (*listing)->title;

  if (auto r = repo::lock_seeker(*tx, seeker_key); !r) return r.error();
  if (!user_id) {
    auto recent = repo::inquiries_since(*tx, seeker_key, iso_utc(t - k_cap_window));
    if (!recent) return recent.error();
    if (recent->count >= options_.guest_daily_cap)
      return too_many("daily_cap",
                      "This phone number or email address has sent as many inquiries as a day "
                      "allows; try again later or sign in.",
                      parse_iso_utc(recent->oldest).value_or(0) + k_cap_window - t);
  }
  auto previous = repo::recent_lead(*tx, listing_id, seeker_key, iso_utc(t - k_repeat_window));
  if (!previous) return previous.error();
  const bool created = !*previous;
  if (created) {
    lead.stage = Stage::fresh;
    lead.inquiry_count = 1;
    lead.created_at = lead.updated_at = lead.last_inquiry_at = now_iso;
    auto id = repo::insert_lead(*tx, lead, seeker_key);
    if (!id) return id.error();
    lead.id = *id;
    if (auto r = repo::insert_event(*tx, lead.id, user_id, now_iso, "created", std::nullopt,
                                    std::string("new"), "");
        !r)
      return r.error();
  } else {
    auto existing = repo::lead(*tx, **previous);
    if (!existing) return existing.error();
    if (!*existing) return Error::internal("lead vanished inside its transaction");
    Lead merged = **existing;
    // The newest message replaces the lead's (the lister sees the latest first); every
    // message stays in the lead's inquiries.
    merged.message = lead.message;
    merged.preferred_contact_time = lead.preferred_contact_time;
    merged.contact_name = lead.contact_name;
    merged.contact_phone = lead.contact_phone;
    merged.contact_email = lead.contact_email;
    merged.inquiry_count += 1;
    merged.last_inquiry_at = merged.updated_at = now_iso;
    if (auto r = repo::follow_up(*tx, merged); !r) return r.error();
    if (auto r = repo::insert_event(*tx, merged.id, user_id, now_iso, "inquiry", std::nullopt,
                                    std::nullopt, "");
        !r)
      return r.error();
    lead = std::move(merged);
  }
  if (auto r = repo::insert_inquiry(*tx, lead.id, seeker_key, lead.message,
                                    lead.preferred_contact_time, now_iso);
      !r)
    return r.error();
  if (auto r = notify_lister(*tx, **lister, lead, created, public_url_, now_iso); !r)
    return r.error();
  InquiryOutcome outcome{seeker_view(lead), created};
  if (before_commit)
    if (auto r = before_commit(*tx, outcome); !r) return r.error();
  if (auto c = tx->commit(); !c) return c.error();
  if (wake_) wake_();
  return outcome;
}

Result<std::vector<repo::SeekerInquiry>> LeadService::my_inquiries(std::int64_t user_id,
                                                                   std::int64_t before_id,
                                                                   int limit) {
  return repo::seeker_inquiries(db_, user_id, before_id, limit);
}

Result<Lead> LeadService::visible(storage::Executor sql, const Principal& viewer, std::int64_t id,
                                  bool for_update) {
  auto lead = for_update ? repo::lead_for_update(sql, id) : repo::lead(sql, id);
  if (!lead) return lead.error();
  // Anyone else gets the same answer as for an id that does not exist.
  if (!*lead) return lead_not_found();
  if (viewer.admin() || (*lead)->lister_id == viewer.user_id) return std::move(**lead);
  if ((*lead)->assigned_to != viewer.user_id) return lead_not_found();
  // An assignment holds only while the agent still works for the lister's agency: one who has
  // left it (or whose lister has), been locked or stopped being an agent loses the lead with
  // its contact, though the assignment stays on record. The lists apply the same rule in SQL.
  auto agent = repo::user(sql, viewer.user_id);
  if (!agent) return agent.error();
  auto lister = repo::user(sql, (*lead)->lister_id);
  if (!lister) return lister.error();
  if (!*agent || !*lister || !works_for(**agent, **lister)) return lead_not_found();
  return std::move(**lead);
}

Result<LeadDetail> LeadService::detail(storage::Executor sql, Lead lead) {
  LeadDetail d;
  auto notes = repo::notes(sql, lead.id);
  if (!notes) return notes.error();
  auto events = repo::events(sql, lead.id);
  if (!events) return events.error();
  auto inquiries = repo::inquiries(sql, lead.id);
  if (!inquiries) return inquiries.error();
  d.lead = std::move(lead);
  d.notes = std::move(*notes);
  d.history = std::move(*events);
  d.inquiries = std::move(*inquiries);
  return d;
}

Result<LeadPage> LeadService::leads(const Principal& viewer, const LeadFilter& filter, bool all) {
  const std::int64_t member = all && viewer.admin() ? 0 : viewer.user_id;
  auto items = repo::leads(db_, member, filter);
  if (!items) return items.error();
  LeadPage page;
  if (static_cast<int>(items->size()) == filter.limit && !items->empty())
    page.next_before_id = items->back().id;
  page.items = std::move(*items);
  return page;
}

Result<LeadStats> LeadService::stats(const Principal& viewer, const LeadFilter& filter) {
  auto counts = repo::stage_counts(db_, viewer.user_id, filter);
  if (!counts) return counts.error();
  std::map<std::string, std::int64_t> by_stage;
  std::map<std::int64_t, std::int64_t> by_listing;
  LeadStats s;
  for (const auto& c : *counts) {
    by_stage[c.stage] += c.count;
    by_listing[c.listing_id] += c.count;
    s.total += c.count;
  }
  for (Stage st : all_stages()) {
    const std::string name(to_string(st));
    s.stages.emplace_back(name, by_stage[name]);
  }
  s.by_listing.assign(by_listing.begin(), by_listing.end());
  return s;
}

Result<std::string> LeadService::export_csv(const Principal& viewer, LeadFilter filter) {
  std::string out = leads_csv_header();
  filter.limit = k_export_page;
  filter.before_id = 0;
  std::size_t rows = 0;
  while (rows < k_export_max_rows) {
    auto page = repo::leads(db_, viewer.user_id, filter);
    if (!page) return page.error();
    for (const auto& l : *page) out += lead_csv_row(l);
    rows += page->size();
    if (static_cast<int>(page->size()) < filter.limit) break;
    filter.before_id = page->back().id;
  }
  return out;
}

Result<LeadDetail> LeadService::get(const Principal& viewer, std::int64_t id) {
  auto lead = visible(db_, viewer, id);
  if (!lead) return lead.error();
  return detail(db_, std::move(*lead));
}

Result<LeadDetail> LeadService::update(const Principal& viewer, std::int64_t id,
                                       const json::object& patch) {
  for (const auto& [key, value] : patch)
    if (key != "stage" && key != "lost_reason" && key != "assigned_to") {
      Error e = Error::make(ErrorKind::invalid, "field_not_writable",
                            "Only stage, lost_reason and assigned_to can be changed.");
      e.fields.push_back({json_pointer(key), FieldCode::not_writable, "cannot be changed"});
      return e;
    }
  Problems problems;
  JsonReader fields(patch, problems, {"stage", "lost_reason", "assigned_to"});
  std::optional<Stage> to_stage;
  if (const auto stage = fields.choice("stage", Need::optional, stage_names())) {
    to_stage = stage_from_string(*stage);
  } else if (fields.has("stage") && !problems.has("/stage")) {
    fields.fail("stage", FieldCode::invalid_value, "must be a stage, not null");
  }
  std::optional<std::string> reason;
  if (fields.has("lost_reason"))
    reason = fields.text("lost_reason", Need::required, TextRule{1, k_reason_max});
  const bool assign = fields.has("assigned_to");
  // null unassigns.
  const std::optional<std::int64_t> assignee =
      fields.integer("assigned_to", Need::optional, 1, INT64_MAX);
  if (!problems.empty()) return problems.error();

  const auto t = now();
  const std::string now_iso = iso_utc(t);
  auto tx = db_.begin();
  if (!tx) return tx.error();
  // Locked until the commit: the checks below and the write that copies stage, reason and
  // assignee back must see the latest committed lead, or a concurrent change is lost.
  auto found = visible(*tx, viewer, id, true);
  if (!found) return found.error();
  Lead lead = std::move(*found);
  const Stage from = lead.stage;
  const std::string old_reason = lead.lost_reason;
  const Stage target = to_stage.value_or(from);
  if (!move_allowed(from, target, viewer.admin()))
    return Error::make(ErrorKind::conflict, "stage_move_not_allowed",
                       "A won or lost lead is closed; only an admin can reopen it.");
  if (target == Stage::lost) {
    if (from != Stage::lost && !reason)
      return Error::field("/lost_reason", FieldCode::required, "say why the lead was lost");
    if (reason) lead.lost_reason = *reason;
  } else {
    if (reason)
      return Error::field("/lost_reason", FieldCode::inconsistent,
                          "is given only when the stage is lost");
    lead.lost_reason.clear();
  }
  lead.stage = target;

  const auto previous_assignee = lead.assigned_to;
  if (assign && assignee != lead.assigned_to) {
    // Handing a lead on is the lister's decision (or an admin's), not the assignee's.
    if (!viewer.admin() && viewer.user_id != lead.lister_id)
      return Error::make(ErrorKind::forbidden, "not_lead_lister",
                         "Only the lister can assign this lead.");
    if (assignee) {
      auto lister = repo::user(*tx, lead.lister_id);
      if (!lister) return lister.error();
      auto agent = repo::user(*tx, *assignee);
      if (!agent) return agent.error();
      if (!*lister || !*agent || !works_for(**agent, **lister)) {
        Error e = Error::make(ErrorKind::invalid, "assignee_not_in_agency",
                              "A lead can be assigned only to an agent of the lister's agency.");
        e.fields.push_back({"/assigned_to", FieldCode::inconsistent,
                            "is not an active agent of the lister's agency"});
        return e;
      }
    }
    lead.assigned_to = assignee;
  }
  if (lead.stage == from && lead.assigned_to == previous_assignee && lead.lost_reason == old_reason)
    return detail(*tx, std::move(lead));  // nothing changes: no write, no event

  lead.updated_at = now_iso;
  if (auto r = repo::update_pipeline(*tx, lead); !r) return r.error();
  if (lead.stage != from || (lead.stage == Stage::lost && lead.lost_reason != old_reason))
    if (auto r = repo::insert_event(*tx, lead.id, viewer.user_id, now_iso, "stage",
                                    std::string(to_string(from)),
                                    std::string(to_string(lead.stage)), lead.lost_reason);
        !r)
      return r.error();
  if (lead.assigned_to != previous_assignee) {
    if (auto r = repo::insert_event(
            *tx, lead.id, viewer.user_id, now_iso, "assigned", std::nullopt, std::nullopt,
            lead.assigned_to ? "user:" + std::to_string(*lead.assigned_to) : "unassigned");
        !r)
      return r.error();
    if (lead.assigned_to) {
      notify::InAppNotification n;
      n.user_id = *lead.assigned_to;
      n.kind = "lead.assigned";
      n.title = "A lead was assigned to you: " + lead.listing_title;
      n.body = lead.contact_name + ": " + lead.message;
      n.link = "/dashboard/leads/" + std::to_string(lead.id);
      if (auto r = notify::notify_in_app(*tx, n, now_iso); !r) return r.error();
    }
  }
  auto d = detail(*tx, std::move(lead));
  if (!d) return d.error();
  if (auto c = tx->commit(); !c) return c.error();
  return d;
}

Result<LeadNote> LeadService::add_note(const Principal& viewer, std::int64_t id,
                                       const std::string& body) {
  Problems problems;
  auto text = text_field(problems, "body", body, k_note_max, true);
  if (!text) return problems.error();
  const std::string now_iso = iso_utc(now());
  auto tx = db_.begin();
  if (!tx) return tx.error();
  // Locked, so that a note cannot slip in from an assignee whose assignment is being undone.
  auto lead = visible(*tx, viewer, id, true);
  if (!lead) return lead.error();
  auto note_id = repo::insert_note(*tx, id, viewer.user_id, *text, now_iso);
  if (!note_id) return note_id.error();
  auto author = repo::user(*tx, viewer.user_id);
  if (!author) return author.error();
  if (auto c = tx->commit(); !c) return c.error();
  return LeadNote{*note_id, viewer.user_id, *author ? (*author)->name : "", *text, now_iso};
}

Result<repo::Agency> LeadService::create_agency(const std::string& name_in) {
  Problems problems;
  auto name = text_field(problems, "name", name_in, k_agency_name_max, false);
  if (!name) return problems.error();
  const std::string now_iso = iso_utc(now());
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto id = repo::insert_agency(*tx, *name, now_iso);
  if (!id) return id.error();
  if (auto c = tx->commit(); !c) return c.error();
  return repo::Agency{*id, *name, now_iso};
}

Result<void> LeadService::set_user_agency(std::int64_t user_id,
                                          std::optional<std::int64_t> agency_id) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  if (agency_id) {
    auto a = repo::agency(*tx, *agency_id);
    if (!a) return a.error();
    if (!*a) return Error::make(ErrorKind::not_found, "agency_not_found", "No such agency.");
  }
  auto changed = repo::set_user_agency(*tx, user_id, agency_id, iso_utc(now()));
  if (!changed) return changed.error();
  if (!*changed) return Error::make(ErrorKind::not_found, "user_not_found", "No such user.");
  if (auto c = tx->commit(); !c) return c.error();
  return {};
}

Result<AgencyAgents> LeadService::agency_agents(std::int64_t user_id) {
  auto me = repo::user(db_, user_id);
  if (!me) return me.error();
  AgencyAgents out;
  if (!*me || !(*me)->agency_id) return out;
  auto a = repo::agency(db_, *(*me)->agency_id);
  if (!a) return a.error();
  out.agency = *a;
  auto agents = repo::agency_agents(db_, *(*me)->agency_id);
  if (!agents) return agents.error();
  out.agents = std::move(*agents);
  return out;
}

Result<AdminStats> LeadService::admin_stats() {
  AdminStats s;
  auto listings = repo::listings_by_city_status(db_);
  if (!listings) return listings.error();
  for (const auto& row : *listings) {
    const auto* city = row.city_id ? gazetteer_.city(*row.city_id) : nullptr;
    s.listings_by_city_status.push_back({city ? city->name : "unknown", row.status, row.count});
  }
  const auto t = now();
  const std::string first_day = kolkata_day(t - 29 * 86400);
  auto counts = repo::leads_per_day(db_, *day_start_utc(first_day));
  if (!counts) return counts.error();
  std::map<std::string, std::int64_t> by_day;
  for (const auto& c : *counts) by_day[c.day] = c.count;
  for (int i = 29; i >= 0; --i) {
    const std::string day = kolkata_day(t - std::time_t(i) * 86400);
    s.leads_per_day.push_back({day, by_day.count(day) ? by_day[day] : 0});
  }
  auto funnel = repo::funnel(db_);
  if (!funnel) return funnel.error();
  s.funnel = *funnel;
  return s;
}

}  // namespace griha::leads
