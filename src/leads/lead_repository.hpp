// The leads module's SQL (leads, lead_inquiries, lead_events, lead_notes, lead_contact_codes,
// agencies): named queries with bound parameters, each run where its Executor says (the
// caller's transaction for writes and for reads that decide a write). What leads needs of
// listings and users it asks their modules for, through the functions below.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/repository.hpp"
#include "leads/lead.hpp"
#include "listings/listing_repository.hpp"
#include "storage/executor.hpp"

namespace griha::leads::repo {

using storage::Executor;

struct ListingRef {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;
  std::string status;
  std::string title;
};

// Asks the listings module.
Result<std::optional<ListingRef>> listing(Executor ex, std::int64_t id);

// A user, from the auth module.
using UserRef = auth::repo::Member;
Result<std::optional<UserRef>> user(Executor ex, std::int64_t id);

// Serialises one seeker's inquiries on PostgreSQL until the transaction ends (SQLite's
// writers are serialised already), so that the 24-hour merge and the daily cap hold under
// concurrent requests.
Result<void> lock_seeker(Executor ex, const std::string& seeker_key);
// Inquiries by this seeker since `since`, and the oldest of them (for Retry-After).
struct RecentInquiries {
  std::int64_t count = 0;
  std::string oldest;
};
Result<RecentInquiries> inquiries_since(Executor ex, const std::string& seeker_key,
                                        const std::string& since);
// The seeker's lead on the listing whose last inquiry is after `since`.
Result<std::optional<std::int64_t>> recent_lead(Executor ex, std::int64_t listing_id,
                                                const std::string& seeker_key,
                                                const std::string& since);
Result<std::int64_t> insert_lead(Executor ex, const Lead& lead, const std::string& seeker_key);
Result<void> follow_up(Executor ex, const Lead& lead);  // message, contact, count+1, times
Result<void> insert_inquiry(Executor ex, std::int64_t lead_id, const std::string& seeker_key,
                            const std::string& message, const std::string& contact_time,
                            const std::string& at);
Result<void> insert_event(Executor ex, std::int64_t lead_id, std::optional<std::int64_t> actor_id,
                          const std::string& at, const std::string& kind,
                          std::optional<std::string> from_stage,
                          std::optional<std::string> to_stage, const std::string& detail);

Result<std::optional<Lead>> lead(Executor ex, std::int64_t id);
// The same, for a read that decides a write: on PostgreSQL it locks the lead's row until the
// transaction ends, so that two changes to one lead cannot both start from the same old copy
// (SQLite's writers are serialised already).
Result<std::optional<Lead>> lead_for_update(Executor ex, std::int64_t id);
Result<void> update_pipeline(Executor ex, const Lead& lead);  // stage, lost_reason, assigned_to
// The seeker's newest lead on the listing, its row locked on PostgreSQL until the transaction
// ends (against a concurrent PATCH).
struct StageOf {
  std::int64_t id = 0;
  std::string stage;
};
Result<std::optional<StageOf>> newest_lead_for_update(Executor ex, std::int64_t listing_id,
                                                      std::int64_t seeker_user_id);
// Moves the lead from `from` to `to` unless its stage changed meanwhile: false then.
Result<bool> move_stage(Executor ex, std::int64_t id, const std::string& from, std::string_view to,
                        const std::string& at);
// `member`: leads the user lists, or is assigned while still an active agent of the lister's
// agency; 0 for all (admins).
Result<std::vector<Lead>> leads(Executor ex, std::int64_t member, const LeadFilter& f);
struct StageCount {
  std::string stage;
  std::int64_t listing_id = 0;
  std::int64_t count = 0;
};
Result<std::vector<StageCount>> stage_counts(Executor ex, std::int64_t member, const LeadFilter& f);

struct SeekerInquiry {
  std::int64_t id = 0;
  std::int64_t listing_id = 0;
  std::string listing_title;
  std::string message, preferred_contact_time;
  Stage stage = Stage::fresh;
  std::int64_t inquiry_count = 0;
  std::string created_at, updated_at;
};
Result<std::vector<SeekerInquiry>> seeker_inquiries(Executor ex, std::int64_t user_id,
                                                    std::int64_t before_id, int limit);

Result<std::int64_t> insert_note(Executor ex, std::int64_t lead_id, std::int64_t author_id,
                                 const std::string& body, const std::string& at);
Result<std::vector<LeadNote>> notes(Executor ex, std::int64_t lead_id);
Result<std::vector<LeadEvent>> events(Executor ex, std::int64_t lead_id);
Result<std::vector<InquiryRecord>> inquiries(Executor ex, std::int64_t lead_id);

struct Agency {
  std::int64_t id = 0;
  std::string name, created_at;
};
Result<std::int64_t> insert_agency(Executor ex, const std::string& name, const std::string& at);
Result<std::optional<Agency>> agency(Executor ex, std::int64_t id);
Result<bool> set_user_agency(Executor ex, std::int64_t user_id,
                             std::optional<std::int64_t> agency_id, const std::string& at);
Result<std::vector<UserRef>> agency_agents(Executor ex, std::int64_t agency_id);

// From the listings module.
Result<std::vector<listings::CityStatusCount>> listings_by_city_status(Executor ex);
struct DayCount {
  std::string day;
  std::int64_t count = 0;
};
// Leads created since `since`, by Asia/Kolkata calendar day.
Result<std::vector<DayCount>> leads_per_day(Executor ex, const std::string& since);
struct Funnel {
  std::int64_t inquiries = 0, visits_booked = 0, won = 0;
};
Result<Funnel> funnel(Executor ex);

}  // namespace griha::leads::repo
