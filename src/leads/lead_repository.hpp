// The leads module's SQL: named queries with bound parameters, each runnable in the caller's
// transaction (writes, and reads that decide a write) or as one statement of its own (reads).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "leads/lead.hpp"
#include "storage/database.hpp"

namespace griha::leads::repo {

// Where a query runs: inside a transaction, or on its own.
class Sql {
 public:
  Sql(storage::Database& db) : db_(&db) {}     // NOLINT(google-explicit-constructor)
  Sql(storage::Transaction& tx) : tx_(&tx) {}  // NOLINT(google-explicit-constructor)
  Result<storage::Rows> operator()(const storage::Query& q,
                                   std::span<const storage::Value> params = {}) const {
    return tx_ ? tx_->exec(q, params) : db_->exec(q, params);
  }

 private:
  storage::Database* db_ = nullptr;
  storage::Transaction* tx_ = nullptr;
};

struct ListingRef {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;
  std::string status;
  std::string title;
};
Result<std::optional<ListingRef>> listing(Sql sql, std::int64_t id);

struct UserRef {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email, phone;
  std::string role, status;
  std::optional<std::int64_t> agency_id;
  bool email_verified = false, phone_verified = false;
};
Result<std::optional<UserRef>> user(Sql sql, std::int64_t id);

// Serialises one seeker's inquiries on PostgreSQL until the transaction ends (SQLite's
// writers are serialised already), so that the 24-hour merge and the daily cap hold under
// concurrent requests.
Result<void> lock_seeker(Sql sql, const std::string& seeker_key);
// Inquiries by this seeker since `since`, and the oldest of them (for Retry-After).
struct RecentInquiries {
  std::int64_t count = 0;
  std::string oldest;
};
Result<RecentInquiries> inquiries_since(Sql sql, const std::string& seeker_key,
                                        const std::string& since);
// The seeker's lead on the listing whose last inquiry is after `since`.
Result<std::optional<std::int64_t>> recent_lead(Sql sql, std::int64_t listing_id,
                                                const std::string& seeker_key,
                                                const std::string& since);
Result<std::int64_t> insert_lead(Sql sql, const Lead& lead, const std::string& seeker_key);
Result<void> follow_up(Sql sql, const Lead& lead);  // message, contact, count+1, times
Result<void> insert_inquiry(Sql sql, std::int64_t lead_id, const std::string& seeker_key,
                            const std::string& message, const std::string& contact_time,
                            const std::string& at);
Result<void> insert_event(Sql sql, std::int64_t lead_id, std::optional<std::int64_t> actor_id,
                          const std::string& at, const std::string& kind,
                          std::optional<std::string> from_stage,
                          std::optional<std::string> to_stage, const std::string& detail);

Result<std::optional<Lead>> lead(Sql sql, std::int64_t id);
// The same, for a read that decides a write: on PostgreSQL it locks the lead's row until the
// transaction ends, so that two changes to one lead cannot both start from the same old copy
// (SQLite's writers are serialised already).
Result<std::optional<Lead>> lead_for_update(Sql sql, std::int64_t id);
Result<void> update_pipeline(Sql sql, const Lead& lead);  // stage, lost_reason, assigned_to
// `member`: leads the user lists, or is assigned while still an active agent of the lister's
// agency; 0 for all (admins).
Result<std::vector<Lead>> leads(Sql sql, std::int64_t member, const LeadFilter& f);
struct StageCount {
  std::string stage;
  std::int64_t listing_id = 0;
  std::int64_t count = 0;
};
Result<std::vector<StageCount>> stage_counts(Sql sql, std::int64_t member, const LeadFilter& f);

struct SeekerInquiry {
  std::int64_t id = 0;
  std::int64_t listing_id = 0;
  std::string listing_title;
  std::string message, preferred_contact_time;
  Stage stage = Stage::fresh;
  std::int64_t inquiry_count = 0;
  std::string created_at, updated_at;
};
Result<std::vector<SeekerInquiry>> seeker_inquiries(Sql sql, std::int64_t user_id,
                                                    std::int64_t before_id, int limit);

Result<std::int64_t> insert_note(Sql sql, std::int64_t lead_id, std::int64_t author_id,
                                 const std::string& body, const std::string& at);
Result<std::vector<LeadNote>> notes(Sql sql, std::int64_t lead_id);
Result<std::vector<LeadEvent>> events(Sql sql, std::int64_t lead_id);
Result<std::vector<InquiryRecord>> inquiries(Sql sql, std::int64_t lead_id);

struct Agency {
  std::int64_t id = 0;
  std::string name, created_at;
};
Result<std::int64_t> insert_agency(Sql sql, const std::string& name, const std::string& at);
Result<std::optional<Agency>> agency(Sql sql, std::int64_t id);
Result<bool> set_user_agency(Sql sql, std::int64_t user_id, std::optional<std::int64_t> agency_id,
                             const std::string& at);
Result<std::vector<UserRef>> agency_agents(Sql sql, std::int64_t agency_id);

struct CityStatusCount {
  std::optional<std::int64_t> city_id;
  std::string status;
  std::int64_t count = 0;
};
Result<std::vector<CityStatusCount>> listings_by_city_status(Sql sql);
struct DayCount {
  std::string day;
  std::int64_t count = 0;
};
// Leads created since `since`, by Asia/Kolkata calendar day.
Result<std::vector<DayCount>> leads_per_day(Sql sql, const std::string& since);
struct Funnel {
  std::int64_t inquiries = 0, visits_booked = 0, won = 0;
};
Result<Funnel> funnel(Sql sql);

}  // namespace griha::leads::repo
