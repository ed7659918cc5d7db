// The rules of inquiries and the lead pipeline: who may inquire (signed in, or a guest who
// verified a phone or email), spam controls (honeypot, rate limits, a guests' daily cap), the
// 24-hour merge of repeat inquiries, the lister's notifications (written to the outbox in the
// lead's own transaction), and who may see and move a lead. Every method blocks (database):
// handlers call them on the worker pool.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/rate_limiter.hpp"
#include "core/before_commit.hpp"
#include "core/error.hpp"
#include "core/principal.hpp"
#include "core/time.hpp"
#include "core/verification_codes.hpp"
#include "leads/contact_token.hpp"
#include "leads/lead.hpp"
#include "leads/lead_repository.hpp"
#include "leads/options.hpp"
#include "storage/database.hpp"

namespace griha::listings {
class Gazetteer;
}

namespace griha::leads {

// An inquiry as the client sent it; the service validates every field.
struct InquiryInput {
  std::optional<std::string> message;
  std::optional<std::string> preferred_contact_time;
  std::optional<std::string> name;           // guests only
  std::optional<std::string> contact_token;  // guests only
  std::optional<std::string> phone, email;   // guests, optional: must be the token's contact
  std::optional<std::string> website;        // the honeypot: people leave it empty
};

struct InquiryOutcome {
  repo::SeekerInquiry inquiry;
  bool created = false;  // false: an inquiry within 24 h of the last one updated that lead
};

struct IssuedToken {
  std::string token;
  std::string expires_at;
};

struct LeadDetail {
  Lead lead;
  std::vector<LeadNote> notes;
  std::vector<LeadEvent> history;
  std::vector<InquiryRecord> inquiries;
};

struct LeadPage {
  std::vector<Lead> items;
  std::optional<std::int64_t> next_before_id;
};

struct LeadStats {
  std::vector<std::pair<std::string, std::int64_t>> stages;  // every stage, in order
  std::vector<std::pair<std::int64_t, std::int64_t>> by_listing;
  std::int64_t total = 0;
};

struct AgencyAgents {
  std::optional<repo::Agency> agency;
  std::vector<repo::UserRef> agents;
};

struct CityStatus {
  std::string city;  // the gazetteer's name; "unknown" for a listing without a city
  std::string status;
  std::int64_t count = 0;
};
struct AdminStats {
  std::vector<CityStatus> listings_by_city_status;
  std::vector<repo::DayCount> leads_per_day;  // the last 30 Asia/Kolkata days, oldest first
  repo::Funnel funnel;
};

class LeadService {
 public:
  // `public_url` is the base of the links in the lister's messages; `wake` is called after a
  // commit that enqueued messages (may be empty).
  LeadService(storage::Database& db, const listings::Gazetteer& gazetteer, LeadOptions options,
              std::string public_url, Clock clock = system_clock(),
              std::function<void()> wake = {});

  // Guests: a 6-digit code to a +91 mobile (SMS) or an email address, through the outbox.
  // Exactly one of phone and email. At most `codes_per_contact_per_day` codes go to one
  // contact in any 24 hours (429 `code_daily_cap`).
  Result<void> request_contact_code(const std::optional<std::string>& phone,
                                    const std::optional<std::string>& email, const std::string& ip);
  Result<IssuedToken> verify_contact_code(const std::optional<std::string>& phone,
                                          const std::optional<std::string>& email,
                                          const std::string& code, const std::string& ip);

  // `user_id` is the signed-in seeker, nullopt for a guest. `before_commit` runs in the
  // inquiry's transaction with its outcome (the idempotency layer stores its answer there).
  Result<InquiryOutcome> inquire(std::int64_t listing_id, std::optional<std::int64_t> user_id,
                                 const std::string& ip, const InquiryInput& input,
                                 const BeforeCommit<InquiryOutcome>& before_commit = {});
  Result<std::vector<repo::SeekerInquiry>> my_inquiries(std::int64_t user_id,
                                                        std::int64_t before_id, int limit);

  // `all`: every lead (admins' overview); otherwise the viewer's own pipeline.
  Result<LeadPage> leads(const Principal& viewer, const LeadFilter& filter, bool all = false);
  Result<LeadStats> stats(const Principal& viewer, const LeadFilter& filter);
  Result<std::string> export_csv(const Principal& viewer, LeadFilter filter);
  Result<LeadDetail> get(const Principal& viewer, std::int64_t id);
  Result<LeadDetail> update(const Principal& viewer, std::int64_t id,
                            const boost::json::object& patch);
  Result<LeadNote> add_note(const Principal& viewer, std::int64_t id, const std::string& body);

  Result<repo::Agency> create_agency(const std::string& name);
  Result<void> set_user_agency(std::int64_t user_id, std::optional<std::int64_t> agency_id);
  Result<AgencyAgents> agency_agents(std::int64_t user_id);

  Result<AdminStats> admin_stats();

  const LeadOptions& options() const { return options_; }

 private:
  std::time_t now() const { return clock_(); }
  Result<void> check_rate(const std::string& action, const std::string& ip, const std::string& who);
  // The lead if the viewer may see it (lister, assignee, admin); "not found" otherwise.
  // `for_update`: the read decides a write, so the lead stays locked until the commit.
  Result<Lead> visible(storage::Executor sql, const Principal& viewer, std::int64_t id,
                       bool for_update = false);
  Result<LeadDetail> detail(storage::Executor sql, Lead lead);

  storage::Database& db_;
  const listings::Gazetteer& gazetteer_;
  LeadOptions options_;
  std::string public_url_;
  Clock clock_;
  std::function<void()> wake_;
  ContactTokens tokens_;
  VerificationCodes codes_;
  auth::RateLimiter ip_limiter_;
  auth::RateLimiter seeker_limiter_;
};

}  // namespace griha::leads
