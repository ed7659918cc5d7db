// Leads as the rest of the module sees them: the pipeline's stages and which moves between
// them are allowed, a lead with its contact, notes and history, and the CSV export's cells.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace griha::leads {

// new -> contacted -> visit_scheduled -> visited -> negotiating -> won | lost
enum class Stage { fresh, contacted, visit_scheduled, visited, negotiating, won, lost };

std::string_view to_string(Stage s);
std::optional<Stage> stage_from_string(std::string_view s);
std::span<const std::string_view> stage_names();
// won and lost close a lead.
bool is_final(Stage s);
// The pipeline's rule: a lister may move an open lead to any stage, backwards too (a visit
// that fell through goes back to contacted); won and lost are final, and only an admin may
// move a lead out of them (to reopen a mistake).
bool move_allowed(Stage from, Stage to, bool admin);
// What the seeker sees of the pipeline: "received" (new), "in_progress", or "closed".
std::string_view seeker_status(Stage s);
// Every stage, in pipeline order.
const std::vector<Stage>& all_stages();

bool is_contact_time(std::string_view t);  // morning, afternoon, evening, anytime

struct Lead {
  std::int64_t id = 0;
  std::int64_t listing_id = 0;
  std::string listing_title;
  std::int64_t lister_id = 0;
  std::optional<std::int64_t> seeker_user_id;
  std::string contact_name;
  std::optional<std::string> contact_phone;
  std::optional<std::string> contact_email;
  std::string message;  // the latest inquiry's
  std::string preferred_contact_time;
  Stage stage = Stage::fresh;
  std::string lost_reason;
  std::optional<std::int64_t> assigned_to;
  std::int64_t inquiry_count = 1;
  std::string last_inquiry_at, created_at, updated_at;
};

struct LeadNote {
  std::int64_t id = 0;
  std::int64_t author_id = 0;
  std::string author_name;
  std::string body;
  std::string created_at;
};

struct LeadEvent {
  std::int64_t id = 0;
  std::optional<std::int64_t> actor_id;
  std::string at;
  std::string kind;  // created, inquiry, stage, assigned
  std::optional<std::string> from_stage, to_stage;
  std::string detail;
};

struct InquiryRecord {
  std::string message;
  std::string preferred_contact_time;
  std::string at;
};

// Which leads a list, stats or export covers. Empty / 0 means "any".
struct LeadFilter {
  std::int64_t listing_id = 0;
  std::string stage;
  std::string from;  // created_at >= from (UTC ISO-8601)
  std::string to;    // created_at <  to
  std::int64_t before_id = 0;
  int limit = 20;
};

// "2026-11-24" is an Asia/Kolkata calendar day: its start as UTC ISO-8601. A full UTC
// timestamp ("2026-11-24T03:10:05Z") passes through. nullopt when it is neither.
std::optional<std::string> day_start_utc(std::string_view date_or_time, int add_days = 0);

// The export's header and rows, written by core/csv (RFC 4180, formulas kept as text).
std::string leads_csv_header();
std::string lead_csv_row(const Lead& lead);

// The number of Unicode code points in valid UTF-8 (what a "2000 characters" limit counts);
// nullopt when `s` is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view s);

}  // namespace griha::leads
