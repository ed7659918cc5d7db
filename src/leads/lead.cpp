#include "leads/lead.hpp"

#include <array>
#include <cstdio>

#include "core/csv.hpp"
#include "core/time.hpp"

namespace griha::leads {
namespace {

constexpr std::array<std::string_view, 7> k_stage_names = {
    "new", "contacted", "visit_scheduled", "visited", "negotiating", "won", "lost"};

}  // namespace

std::string_view to_string(Stage s) {
  return k_stage_names[static_cast<std::size_t>(s)];
}

std::span<const std::string_view> stage_names() {
  return k_stage_names;
}

std::optional<Stage> stage_from_string(std::string_view s) {
  for (std::size_t i = 0; i < k_stage_names.size(); ++i)
    if (k_stage_names[i] == s) return static_cast<Stage>(i);
  return std::nullopt;
}

bool is_final(Stage s) {
  return s == Stage::won || s == Stage::lost;
}

bool move_allowed(Stage from, Stage to, bool admin) {
  if (from == to) return true;
  return admin || !is_final(from);
}

std::string_view seeker_status(Stage s) {
  if (s == Stage::fresh) return "received";
  return is_final(s) ? "closed" : "in_progress";
}

const std::vector<Stage>& all_stages() {
  static const std::vector<Stage> k_all = {
      Stage::fresh, Stage::contacted, Stage::visit_scheduled, Stage::visited, Stage::negotiating,
      Stage::won,   Stage::lost};
  return k_all;
}

bool is_contact_time(std::string_view t) {
  return t == "morning" || t == "afternoon" || t == "evening" || t == "anytime";
}

std::optional<std::string> day_start_utc(std::string_view s, int add_days) {
  if (s.size() == 20 && add_days == 0 && parse_iso_utc(s)) return std::string(s);
  const auto date = parse_iso_date(s);
  if (!date) return std::nullopt;
  return iso_utc(kolkata_to_utc(*date + std::chrono::days(add_days)));
}

std::string leads_csv_header() {
  return "id,created_at,updated_at,listing_id,listing_title,stage,lost_reason,assigned_to,"
         "contact_name,contact_phone,contact_email,preferred_contact_time,inquiry_count,"
         "message\r\n";
}

std::string lead_csv_row(const Lead& l) {
  const std::vector<std::string> cells = {std::to_string(l.id),
                                          l.created_at,
                                          l.updated_at,
                                          std::to_string(l.listing_id),
                                          l.listing_title,
                                          std::string(to_string(l.stage)),
                                          l.lost_reason,
                                          l.assigned_to ? std::to_string(*l.assigned_to) : "",
                                          l.contact_name,
                                          l.contact_phone.value_or(""),
                                          l.contact_email.value_or(""),
                                          l.preferred_contact_time,
                                          std::to_string(l.inquiry_count),
                                          l.message};
  return csv::row(cells);
}

std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xe  ? 3
                      : (c >> 3) == 0x1e ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return std::nullopt;
    i += len;
    ++n;
  }
  return n;
}

}  // namespace griha::leads
