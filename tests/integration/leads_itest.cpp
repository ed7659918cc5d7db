// Inquiries and the lead pipeline through the real binary, on SQLite and PostgreSQL: the
// privacy and abuse rules of issue 5, one test per rule. Guests' codes travel through the
// outbox and the `log` SMS/email providers and are read back from their message sink, as the
// auth tests read sign-in codes; what the lister is sent is read through the admin outbox API.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <regex>
#include <set>
#include <thread>

#include <unistd.h>

#include "support/api.hpp"

namespace griha::test {
namespace {

using bhttp::verb;
namespace json = boost::json;

const std::regex k_inquiry_code(R"(^(\d{6}) is your Griha code to send an inquiry)");
const std::regex k_signin_code(R"(^(\d{6}) is your Griha sign-in)");

class Leads : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new GrihaProcess({{"GRIHA_LEADS_IP_RATE_PER_MINUTE", "100000"},
                                {"GRIHA_LEADS_SEEKER_RATE_PER_MINUTE", "5"},
                                {"GRIHA_LEADS_GUEST_DAILY_CAP", "3"},
                                {"GRIHA_LEADS_CODES_PER_CONTACT_PER_DAY", "2"},
                                {"GRIHA_LEADS_CODE_RESEND_SECONDS", "0"},
                                {"GRIHA_NOTIFY_POLL_SECONDS", "1"}});
    owner_ = create_user(*server_, "owner");
    other_lister_ = create_user(*server_, "agent");
    seeker_ = create_user(*server_, "seeker");
    other_seeker_ = create_user(*server_, "seeker");
    admin_ = create_user(*server_, "admin");
    // The lister has a phone too, so that both of their contacts can be looked for.
    auto me = call(verb::patch, "/api/v1/me", &owner_, R"({"phone":"+919900000001"})");
    if (me.result_int() != 200) throw std::runtime_error("setting the phone failed: " + me.body());
  }
  static void TearDownTestSuite() { delete server_; }

  static Api api() { return Api(*server_); }
  static HttpResponse call(verb method, const std::string& target, const TestUser* as,
                           const std::string& body = {}, Headers headers = {}) {
    return api().call(method, target, as, body, std::move(headers));
  }
  static HttpResponse call(verb method, const std::string& target, const TestUser* as,
                           const json::object& body, Headers headers = {}) {
    return api().call(method, target, as, body, std::move(headers));
  }

  // An active listing by `lister`.
  static std::int64_t active_listing(const TestUser& lister) {
    return api().publish_listing(lister, admin_);
  }

  static std::string inquiries_path(std::int64_t listing) {
    return "/api/v1/listings/" + std::to_string(listing) + "/inquiries";
  }
  static std::string lead_path(std::int64_t lead) {
    return "/api/v1/leads/" + std::to_string(lead);
  }

  static HttpResponse inquire(std::int64_t listing, const TestUser* as,
                              const std::string& message = "Is it still available?",
                              Headers headers = {}) {
    return call(verb::post, inquiries_path(listing), as,
                json::object{{"message", message}, {"preferred_contact_time", "evening"}},
                std::move(headers));
  }

  // A contact token for a guest phone, through the SMS code read from the message sink.
  static std::string phone_token(const std::string& phone, const GrihaProcess& server = *server_) {
    const Api on(server);
    auto req = on.call(verb::post, "/api/v1/inquiries/contact/verify-request", nullptr,
                       json::object{{"phone", phone}});
    if (req.result_int() != 202) throw std::runtime_error("verify-request: " + req.body());
    const std::string code = on.messages().await("sms", phone, k_inquiry_code);
    auto ok = on.call(verb::post, "/api/v1/inquiries/contact/verify", nullptr,
                      json::object{{"phone", phone}, {"code", code}});
    if (ok.result_int() != 200) throw std::runtime_error("verify: " + ok.body());
    return std::string(json_body(ok).at("contact_token").as_string());
  }

  static json::object guest_body(const std::string& token, const std::string& message = "Hello") {
    return {{"message", message},
            {"preferred_contact_time", "morning"},
            {"name", "Guest Seeker"},
            {"contact_token", token}};
  }

  static json::array my_leads(const TestUser& lister, const std::string& query = {}) {
    auto res = call(verb::get, "/api/v1/me/leads" + query, &lister);
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return json_body(res).at("items").as_array();
  }

  // Proves a user's phone the way auth does: an OTP sign-in with the number.
  static void verify_phone(const std::string& phone) {
    auto req =
        call(verb::post, "/api/v1/auth/otp/request", nullptr, json::object{{"phone", phone}});
    if (req.result_int() != 202) throw std::runtime_error("otp/request: " + req.body());
    const std::string code = api().messages().await("sms", phone, k_signin_code);
    auto ok = call(verb::post, "/api/v1/auth/otp/verify", nullptr,
                   json::object{{"phone", phone}, {"code", code}});
    if (ok.result_int() != 200) throw std::runtime_error("otp/verify: " + ok.body());
  }

  // How many `kind` messages to `recipient` over `channel` the outbox holds, pending or sent.
  static int outbox_count(const std::string& kind, const std::string& channel,
                          const std::string& recipient) {
    // Pending first, then sent: a message only moves on, so none is missed; one sent between
    // the two reads shows in both, so messages are counted by id.
    std::set<std::int64_t> ids;
    for (const char* status : {"pending", "sent"}) {
      auto out =
          call(verb::get, std::string("/api/v1/admin/outbox?limit=200&status=") + status, &admin_);
      EXPECT_EQ(out.result_int(), 200) << out.body();
      const auto page = json_body(out);
      for (const auto& item : page.at("items").as_array())
        if (item.at("kind") == json::value(kind) && item.at("channel") == json::value(channel) &&
            item.at("recipient") == json::value(recipient))
          ids.insert(item.at("id").as_int64());
    }
    return static_cast<int>(ids.size());
  }

  static json::array all_leads_of_listing(std::int64_t listing) {
    auto res =
        call(verb::get, "/api/v1/admin/leads?listing_id=" + std::to_string(listing), &admin_);
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return json_body(res).at("items").as_array();
  }

  static GrihaProcess* server_;
  static TestUser owner_, other_lister_, seeker_, other_seeker_, admin_;
};
GrihaProcess* Leads::server_ = nullptr;
TestUser Leads::owner_, Leads::other_lister_, Leads::seeker_, Leads::other_seeker_, Leads::admin_;

TEST_F(Leads, ASignedInInquiryReachesTheListerByEmailSmsAndInApp) {
  // A lister of its own, so that every lead.new message to them is this test's.
  const auto lister = create_user(*server_, "owner");
  ASSERT_EQ(call(verb::patch, "/api/v1/me", &lister, R"({"phone":"+919900000011"})").result_int(),
            200);
  verify_phone("+919900000011");  // SMS goes to a proven number only
  const auto listing = active_listing(lister);
  auto r = inquire(listing, &seeker_, "Can I see it on Sunday?");
  ASSERT_EQ(r.result_int(), 201) << r.body();
  const auto body = json_body(r).as_object();
  EXPECT_EQ(body.at("status").as_string(), "received");
  EXPECT_TRUE(body.at("created").as_bool());
  EXPECT_FALSE(body.contains("contact")) << "the seeker's answer holds no contact details";

  // The messages are in the outbox, pending or (the dispatcher is quick) already sent: the
  // ids of each kind of message to the lister, across both lists.
  const auto lead_id = body.at("id").as_int64();
  std::set<std::int64_t> email, sms;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((email.empty() || sms.empty()) && std::chrono::steady_clock::now() < end) {
    for (const char* status : {"pending", "sent"}) {
      auto out =
          call(verb::get, std::string("/api/v1/admin/outbox?limit=200&status=") + status, &admin_);
      ASSERT_EQ(out.result_int(), 200) << out.body();
      const auto page = json_body(out);
      for (const auto& item : page.at("items").as_array()) {
        if (item.at("kind") != "lead.new") continue;
        if (item.at("recipient") == json::value(lister.email) && item.at("channel") == "email")
          email.insert(item.at("id").as_int64());
        if (item.at("recipient") == "+919900000011" && item.at("channel") == "sms")
          sms.insert(item.at("id").as_int64());
      }
    }
    if (email.empty() || sms.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(email.size(), 1u);
  EXPECT_EQ(sms.size(), 1u);
  auto notes = call(verb::get, "/api/v1/me/notifications", &lister);
  ASSERT_EQ(notes.result_int(), 200);
  bool in_app = false;
  const auto note_list = json_body(notes);
  for (const auto& n : note_list.at("items").as_array())
    in_app |= n.at("kind") == "lead.new" &&
              n.at("link") == json::value("/dashboard/leads/" + std::to_string(lead_id));
  EXPECT_TRUE(in_app) << notes.body();
  // The lister's own view carries the seeker's contact.
  auto lead = call(verb::get, lead_path(lead_id), &lister);
  ASSERT_EQ(lead.result_int(), 200) << lead.body();
  EXPECT_EQ(json_body(lead).at("contact").at("email"), json::value(seeker_.email));
  EXPECT_EQ(json_body(lead).at("stage"), "new");
}

TEST_F(Leads, ASeekerSeesOnlyTheirOwnInquiries) {
  const auto listing = active_listing(owner_);
  ASSERT_EQ(inquire(listing, &seeker_, "Mine, from the first seeker").result_int(), 201);
  ASSERT_EQ(inquire(listing, &other_seeker_, "Theirs, from the second").result_int(), 201);
  auto mine = call(verb::get, "/api/v1/me/inquiries", &other_seeker_);
  ASSERT_EQ(mine.result_int(), 200);
  const auto items = json_body(mine).at("items").as_array();
  ASSERT_FALSE(items.empty());
  for (const auto& i : items) EXPECT_NE(i.at("message"), "Mine, from the first seeker");
  EXPECT_EQ(items.at(0).at("message"), "Theirs, from the second");
  EXPECT_EQ(items.at(0).at("listing_id").as_int64(), listing);
  // A seeker has no pipeline: the leads and their contacts are not theirs to read.
  EXPECT_TRUE(my_leads(other_seeker_).empty());
  EXPECT_EQ(call(verb::get, "/api/v1/me/inquiries", nullptr).result_int(), 401);
}

TEST_F(Leads, AListerCannotSeeOrChangeLeadsOnListingsTheyDoNotOwn) {
  const auto listing = active_listing(owner_);
  const auto seeker = create_user(*server_, "seeker");
  auto r = inquire(listing, &seeker, "Only the owner may read this");
  ASSERT_EQ(r.result_int(), 201);
  const auto id = json_body(r).at("id").as_int64();
  const TestUser* other = &other_lister_;

  auto get = api().run(
      {.name = "read another's lead", .path = lead_path(id), .as = other, .expected_status = 404});
  // The same answer as for a lead that does not exist: ids reveal nothing.
  auto missing = api().run({.name = "read a lead that does not exist",
                            .path = lead_path(99999999),
                            .as = other,
                            .expected_status = 404});
  EXPECT_EQ(code_of(get), code_of(missing));
  api().run({
      {.name = "move another's lead",
       .method = verb::patch,
       .path = lead_path(id),
       .body = R"({"stage":"contacted"})",
       .as = other,
       .expected_status = 404},
      {.name = "note on another's lead",
       .method = verb::post,
       .path = lead_path(id) + "/notes",
       .body = R"({"body":"hi"})",
       .as = other,
       .expected_status = 404},
  });
  for (const auto& l : my_leads(*other)) EXPECT_NE(l.at("id").as_int64(), id);
  EXPECT_TRUE(my_leads(*other, "?listing_id=" + std::to_string(listing)).empty());
  api().run({
      {.name = "the export",
       .path = "/api/v1/me/leads/export",
       .as = other,
       .unexpected_content = {"Only the owner may read this", seeker.email}},
      {.name = "the stats",
       .path = "/api/v1/me/leads/stats",
       .as = other,
       .present_fields = {"/by_listing"},
       .unexpected_fields = {"/by_listing/" + std::to_string(listing)}},
      // Admin-only routes are closed to listers.
      {.path = "/api/v1/admin/leads", .as = other, .expected_status = 403},
      {.path = "/api/v1/admin/stats", .as = other, .expected_status = 403},
      {.name = "the owner's lead is untouched",
       .path = lead_path(id),
       .as = &owner_,
       .expected_fields = {{"/stage", "new"}, {"/notes", json::array()}}},
  });
}

TEST_F(Leads, APublicListingShowsNoListerPhoneOrEmail) {
  const auto listing = active_listing(owner_);
  const std::string path = "/api/v1/listings/" + std::to_string(listing);
  const std::vector<const TestUser*> viewers = {nullptr, &seeker_, &other_lister_};
  for (const TestUser* who : viewers)
    api().run({.path = path,
               .as = who,
               .unexpected_fields = {"/owner_id"},
               .unexpected_content = {owner_.email, "9900000001"}});
  auto photos = call(verb::get, path + "/photos", nullptr);
  EXPECT_EQ(photos.body().find(owner_.email), std::string::npos);
}

TEST_F(Leads, AGuestWithoutAValidTokenForTheirNumberCreatesNoLead) {
  const auto listing = active_listing(owner_);
  const std::string path = inquiries_path(listing);
  json::object body = guest_body("");
  body.erase("contact_token");
  auto none = call(verb::post, path, nullptr, body);
  EXPECT_EQ(none.result_int(), 401);
  EXPECT_EQ(code_of(none), "contact_verification_required");

  const std::string token = phone_token("+919812300001");
  // A token altered in any byte, or made up, is refused.
  std::string forged = token;
  forged[forged.size() - 2] = forged[forged.size() - 2] == 'A' ? 'B' : 'A';
  for (const std::string& bad : {forged, std::string("bG9vaw.c2lnbmF0dXJl"), token + "x"}) {
    auto r = call(verb::post, path, nullptr, guest_body(bad));
    EXPECT_EQ(r.result_int(), 401) << bad;
    EXPECT_EQ(code_of(r), "contact_token_invalid");
  }
  // A token for one number does not vouch for another.
  json::object other_number = guest_body(token);
  other_number["phone"] = "+919812300002";
  auto mismatch = call(verb::post, path, nullptr, other_number);
  EXPECT_EQ(mismatch.result_int(), 401);
  EXPECT_EQ(code_of(mismatch), "contact_token_invalid");
  EXPECT_TRUE(all_leads_of_listing(listing).empty());

  // The same token with its own number works, and the lister gets that number.
  json::object own_number = guest_body(token);
  own_number["phone"] = "98123 00001";
  auto ok = call(verb::post, path, nullptr, own_number);
  ASSERT_EQ(ok.result_int(), 201) << ok.body();
  const auto leads = all_leads_of_listing(listing);
  ASSERT_EQ(leads.size(), 1u);
  EXPECT_EQ(leads[0].at("contact").at("phone"), "+919812300001");
  EXPECT_EQ(leads[0].at("contact").at("name"), "Guest Seeker");
}

TEST_F(Leads, AGuestCanVerifyAnEmailAddressInstead) {
  const auto listing = active_listing(owner_);
  auto req = call(verb::post, "/api/v1/inquiries/contact/verify-request", nullptr,
                  R"({"email":"Guest.Mail@Example.in"})");
  ASSERT_EQ(req.result_int(), 202) << req.body();
  const std::string code = api().messages().await(
      "email", "guest.mail@example.in", std::regex(R"(^Your Griha verification code: (\d{6}))"));
  auto wrong = call(verb::post, "/api/v1/inquiries/contact/verify", nullptr,
                    json::object{{"email", "guest.mail@example.in"},
                                 {"code", code == "000000" ? "111111" : "000000"}});
  EXPECT_EQ(wrong.result_int(), 400);
  EXPECT_EQ(code_of(wrong), "code_invalid");
  auto ok = call(verb::post, "/api/v1/inquiries/contact/verify", nullptr,
                 json::object{{"email", "guest.mail@example.in"}, {"code", code}});
  ASSERT_EQ(ok.result_int(), 200) << ok.body();
  EXPECT_FALSE(json_body(ok).at("expires_at").as_string().empty());
  auto r = call(verb::post, inquiries_path(listing), nullptr,
                guest_body(std::string(json_body(ok).at("contact_token").as_string())));
  ASSERT_EQ(r.result_int(), 201) << r.body();
  EXPECT_EQ(all_leads_of_listing(listing).at(0).at("contact").at("email"), "guest.mail@example.in");
}

TEST_F(Leads, TheHoneypotRejectsBotsAndStoresNothing) {
  const auto listing = active_listing(owner_);
  const auto seeker = create_user(*server_, "seeker");
  for (const char* filled : {R"("http://spam.example")", R"(" ")", "1"}) {
    const std::string body =
        R"({"message":"Buy cheap followers","website":)" + std::string(filled) + "}";
    auto r = call(verb::post, inquiries_path(listing), &seeker, body);
    EXPECT_EQ(r.result_int(), 400) << filled;
    EXPECT_EQ(code_of(r), "rejected_as_spam");
    EXPECT_EQ(json_body(r).at("errors").at(0).at("field"), "/website");
  }
  EXPECT_TRUE(all_leads_of_listing(listing).empty());
  auto empty = call(verb::post, inquiries_path(listing), &seeker,
                    R"({"message":"A real person","website":""})");
  EXPECT_EQ(empty.result_int(), 201) << "an empty honeypot is what people send";
}

TEST_F(Leads, AnAccountIsRateLimited) {
  const auto seeker = create_user(*server_, "seeker");
  int status = 0;
  HttpResponse last;
  for (int i = 0; i < 7 && status != 429; ++i) {
    last = inquire(active_listing(owner_), &seeker);
    status = last.result_int();
  }
  EXPECT_EQ(status, 429);
  EXPECT_EQ(code_of(last), "rate_limited");
  EXPECT_FALSE(last[bhttp::field::retry_after].empty());
}

TEST_F(Leads, AGuestContactHasADailyCap) {
  const std::string token = phone_token("+919812300003");
  std::vector<std::int64_t> listings;
  for (int i = 0; i < 4; ++i) listings.push_back(active_listing(owner_));
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(
        call(verb::post, inquiries_path(listings[i]), nullptr, guest_body(token)).result_int(),
        201);
  auto capped = call(verb::post, inquiries_path(listings[3]), nullptr, guest_body(token));
  EXPECT_EQ(capped.result_int(), 429);
  EXPECT_EQ(code_of(capped), "daily_cap");
  EXPECT_FALSE(capped[bhttp::field::retry_after].empty());
  EXPECT_TRUE(all_leads_of_listing(listings[3]).empty());
}

TEST_F(Leads, OnlyAllowlistedFieldsCanBePatched) {
  const auto listing = active_listing(owner_);
  const auto seeker = create_user(*server_, "seeker");
  const auto id = json_body(inquire(listing, &seeker, "Original")).at("id").as_int64();
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"stage":"contacted","message":"rewritten"})", "message"},
           {R"({"contact":{"phone":"+919999999999"}})", "contact"},
           {R"({"listing_id":1})", "listing_id"},
           {R"({"inquiry_count":0})", "inquiry_count"}}) {
    auto r = call(verb::patch, lead_path(id), &owner_, body);
    EXPECT_EQ(r.result_int(), 400) << body;
    EXPECT_EQ(code_of(r), "field_not_writable");
    EXPECT_EQ(json_body(r).at("errors").at(0).at("field"), json::value("/" + field));
  }
  auto lead = json_body(call(verb::get, lead_path(id), &owner_));
  EXPECT_EQ(lead.at("stage"), "new") << "nothing changed, not even the allowed part";
  EXPECT_EQ(lead.at("message"), "Original");
}

TEST_F(Leads, ASeekerCannotPatchALead) {
  const auto listing = active_listing(owner_);
  const auto seeker = create_user(*server_, "seeker");
  const auto id = json_body(inquire(listing, &seeker, "Mine")).at("id").as_int64();
  EXPECT_EQ(call(verb::patch, lead_path(id), &seeker, R"({"stage":"won"})").result_int(), 404);
  EXPECT_EQ(call(verb::get, lead_path(id), &seeker).result_int(), 404);
  EXPECT_EQ(call(verb::post, lead_path(id) + "/notes", &seeker, R"({"body":"x"})").result_int(),
            404);
  EXPECT_EQ(call(verb::patch, lead_path(id), nullptr, R"({"stage":"won"})").result_int(), 401);
  EXPECT_EQ(json_body(call(verb::get, lead_path(id), &owner_)).at("stage"), "new");
}

TEST_F(Leads, TheListerWorksTheLeadThroughThePipeline) {
  const auto listing = active_listing(owner_);
  const auto seeker = create_user(*server_, "seeker");
  const auto id =
      json_body(inquire(listing, &seeker, "=HYPERLINK(\"http://evil\")")).at("id").as_int64();
  ASSERT_EQ(call(verb::patch, lead_path(id), &owner_, R"({"stage":"contacted"})").result_int(),
            200);
  auto note =
      call(verb::post, lead_path(id) + "/notes", &owner_, R"({"body":"Called, visit Sat"})");
  ASSERT_EQ(note.result_int(), 201) << note.body();
  EXPECT_EQ(call(verb::post, lead_path(id) + "/notes", &owner_, R"({"body":"  "})").result_int(),
            400);
  auto no_reason = call(verb::patch, lead_path(id), &owner_, R"({"stage":"lost"})");
  EXPECT_EQ(no_reason.result_int(), 400);
  EXPECT_EQ(json_body(no_reason).at("errors").at(0).at("field"), "/lost_reason");
  auto lost = call(verb::patch, lead_path(id), &owner_,
                   R"({"stage":"lost","lost_reason":"Budget too low"})");
  ASSERT_EQ(lost.result_int(), 200) << lost.body();
  auto reopen = call(verb::patch, lead_path(id), &owner_, R"({"stage":"negotiating"})");
  EXPECT_EQ(reopen.result_int(), 409);
  EXPECT_EQ(code_of(reopen), "stage_move_not_allowed");

  const auto d = json_body(call(verb::get, lead_path(id), &owner_));
  EXPECT_EQ(d.at("stage"), "lost");
  EXPECT_EQ(d.at("lost_reason"), "Budget too low");
  EXPECT_EQ(d.at("notes").at(0).at("body"), "Called, visit Sat");
  int stage_events = 0;
  for (const auto& e : d.at("history").as_array())
    if (e.at("kind") == "stage") {
      ++stage_events;
      EXPECT_EQ(e.at("actor_id").as_int64(), owner_.id);
      EXPECT_FALSE(e.at("at").as_string().empty());
    }
  EXPECT_EQ(stage_events, 2);

  auto filtered = my_leads(owner_, "?stage=lost&listing_id=" + std::to_string(listing));
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0].at("id").as_int64(), id);
  EXPECT_EQ(call(verb::get, "/api/v1/me/leads?stage=closed", &owner_).result_int(), 400);
  auto stats = json_body(call(verb::get, "/api/v1/me/leads/stats", &owner_));
  EXPECT_GE(stats.at("stages").at("lost").as_int64(), 1);
  EXPECT_EQ(stats.at("stages").as_object().size(), 7u);
  EXPECT_EQ(stats.at("by_listing").at(std::to_string(listing)).as_int64(), 1);

  auto csv =
      call(verb::get, "/api/v1/me/leads/export?listing_id=" + std::to_string(listing), &owner_);
  ASSERT_EQ(csv.result_int(), 200);
  EXPECT_TRUE(std::string(csv[bhttp::field::content_type]).starts_with("text/csv"));
  EXPECT_NE(csv.body().find("\"'=HYPERLINK(\"\"http://evil\"\")\""), std::string::npos)
      << csv.body();
  EXPECT_EQ(csv.body().find(",=HYPERLINK"), std::string::npos);
  EXPECT_EQ(csv.body().find(",\"=HYPERLINK"), std::string::npos);
}

TEST_F(Leads, TheListsArePagedNewestFirst) {
  const auto lister = create_user(*server_, "owner");
  const auto listing = active_listing(lister);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    const auto who = create_user(*server_, "seeker");
    ids.push_back(json_body(inquire(listing, &who)).at("id").as_int64());
  }
  auto first = call(verb::get, "/api/v1/me/leads?limit=2", &lister);
  const auto page = json_body(first);
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_EQ(page.at("items").at(0).at("id").as_int64(), ids[2]);
  const auto next = page.at("next_before_id").as_int64();
  auto second = json_body(
      call(verb::get, "/api/v1/me/leads?limit=2&before_id=" + std::to_string(next), &lister));
  ASSERT_EQ(second.at("items").as_array().size(), 1u);
  EXPECT_EQ(second.at("items").at(0).at("id").as_int64(), ids[0]);
  EXPECT_TRUE(second.at("next_before_id").is_null());
  EXPECT_EQ(call(verb::get, "/api/v1/me/leads?from=yesterday", &lister).result_int(), 400);
  EXPECT_EQ(my_leads(lister, "?from=2000-01-01&to=2000-01-02").size(), 0u);
}

TEST_F(Leads, AssigningToAnAgentOfAnotherAgencyIsRefused) {
  const auto broker = create_user(*server_, "agent");
  const auto colleague = create_user(*server_, "agent");
  const auto rival = create_user(*server_, "agent");
  auto ours = call(verb::post, "/api/v1/admin/agencies", &admin_, R"({"name":"Andheri Homes"})");
  ASSERT_EQ(ours.result_int(), 201) << ours.body();
  auto theirs = call(verb::post, "/api/v1/admin/agencies", &admin_, R"({"name":"Rival Realty"})");
  const auto ours_id = json_body(ours).at("id").as_int64();
  const auto theirs_id = json_body(theirs).at("id").as_int64();
  auto join = [&](const TestUser& u, std::int64_t agency) {
    return call(verb::put, "/api/v1/admin/users/" + std::to_string(u.id) + "/agency", &admin_,
                json::object{{"agency_id", agency}});
  };
  ASSERT_EQ(join(broker, ours_id).result_int(), 200);
  ASSERT_EQ(join(colleague, ours_id).result_int(), 200);
  ASSERT_EQ(join(rival, theirs_id).result_int(), 200);
  EXPECT_EQ(join(rival, 99999999).result_int(), 404);
  EXPECT_EQ(call(verb::post, "/api/v1/admin/agencies", &broker, R"({"name":"Mine"})").result_int(),
            403);

  auto agents = json_body(call(verb::get, "/api/v1/me/agency/agents", &broker));
  EXPECT_EQ(agents.at("agency").at("name"), "Andheri Homes");
  std::vector<std::int64_t> agent_ids;
  for (const auto& a : agents.at("agents").as_array()) agent_ids.push_back(a.at("id").as_int64());
  EXPECT_EQ(agent_ids.size(), 2u);
  EXPECT_EQ(std::count(agent_ids.begin(), agent_ids.end(), rival.id), 0);

  const auto listing = active_listing(broker);
  const auto seeker = create_user(*server_, "seeker");
  const auto id = json_body(inquire(listing, &seeker)).at("id").as_int64();
  auto refused = call(verb::patch, lead_path(id), &broker, json::object{{"assigned_to", rival.id}});
  EXPECT_EQ(refused.result_int(), 400);
  EXPECT_EQ(code_of(refused), "assignee_not_in_agency");
  EXPECT_EQ(call(verb::get, lead_path(id), &rival).result_int(), 404);
  auto ok = call(verb::patch, lead_path(id), &broker, json::object{{"assigned_to", colleague.id}});
  ASSERT_EQ(ok.result_int(), 200) << ok.body();
  EXPECT_EQ(json_body(ok).at("assigned_to").as_int64(), colleague.id);
  // The assignee now sees and works the lead.
  EXPECT_EQ(call(verb::get, lead_path(id), &colleague).result_int(), 200);
  EXPECT_EQ(call(verb::patch, lead_path(id), &colleague, R"({"stage":"contacted"})").result_int(),
            200);
  EXPECT_EQ(my_leads(colleague).size(), 1u);
}

TEST_F(Leads, TheSameSeekerWithin24HoursUpdatesTheLead) {
  const auto listing = active_listing(owner_);
  const auto seeker = create_user(*server_, "seeker");
  auto first = inquire(listing, &seeker, "First question");
  ASSERT_EQ(first.result_int(), 201);
  auto second = inquire(listing, &seeker, "Second question");
  ASSERT_EQ(second.result_int(), 200) << second.body();
  EXPECT_FALSE(json_body(second).at("created").as_bool());
  EXPECT_EQ(json_body(second).at("id"), json_body(first).at("id"));
  EXPECT_EQ(json_body(second).at("inquiry_count").as_int64(), 2);
  const auto leads = all_leads_of_listing(listing);
  ASSERT_EQ(leads.size(), 1u);
  EXPECT_EQ(leads[0].at("message"), "Second question");
  const auto d = json_body(call(verb::get, lead_path(leads[0].at("id").as_int64()), &owner_));
  EXPECT_EQ(d.at("inquiries").as_array().size(), 2u);
  EXPECT_EQ(d.at("inquiries").at(0).at("message"), "First question");
}

TEST_F(Leads, AListerCannotInquireOnTheirOwnListing) {
  const auto listing = active_listing(owner_);
  auto r = inquire(listing, &owner_);
  EXPECT_EQ(r.result_int(), 403);
  EXPECT_EQ(code_of(r), "own_listing");
  EXPECT_TRUE(all_leads_of_listing(listing).empty());
  // Nor can anyone inquire on a listing that is not live.
  auto withdrawn =
      call(verb::post, "/api/v1/listings/" + std::to_string(listing) + "/withdraw", &owner_);
  ASSERT_EQ(withdrawn.result_int(), 200);
  const auto seeker = create_user(*server_, "seeker");
  EXPECT_EQ(inquire(listing, &seeker).result_int(), 404);
  EXPECT_EQ(inquire(99999999, &seeker).result_int(), 404);
}

TEST_F(Leads, ReplayingAnInquiryWithTheSameIdempotencyKeyCreatesOneLead) {
  const auto listing = active_listing(owner_);
  const auto seeker = create_user(*server_, "seeker");
  const Headers key = {{"Idempotency-Key", "inquiry-replay-1"}};
  auto first = inquire(listing, &seeker, "Once only", key);
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto replay = inquire(listing, &seeker, "Once only", key);
  EXPECT_EQ(replay.result_int(), 201) << "the first response again, not a 200 follow-up";
  EXPECT_EQ(replay.body(), first.body());
  auto leads = all_leads_of_listing(listing);
  ASSERT_EQ(leads.size(), 1u);
  EXPECT_EQ(leads[0].at("inquiry_count").as_int64(), 1);
  auto changed = inquire(listing, &seeker, "A different body", key);
  EXPECT_EQ(changed.result_int(), 422);
  EXPECT_EQ(all_leads_of_listing(listing).at(0).at("inquiry_count").as_int64(), 1);
}

TEST_F(Leads, TheAdminDashboardsGetStatsAndEveryLead) {
  const auto listing = active_listing(owner_);
  ASSERT_EQ(inquire(listing, &other_seeker_).result_int(), 201);
  auto res = call(verb::get, "/api/v1/admin/stats", &admin_);
  ASSERT_EQ(res.result_int(), 200) << res.body();
  const auto s = json_body(res);
  bool mumbai = false;
  for (const auto& row : s.at("listings_by_city_status").as_array())
    mumbai |= row.at("city") == "Mumbai" && row.at("status") == "active" &&
              row.at("count").as_int64() >= 1;
  EXPECT_TRUE(mumbai) << res.body();
  const auto days = s.at("leads_per_day").as_array();
  ASSERT_EQ(days.size(), 30u);
  EXPECT_GE(days.back().at("count").as_int64(), 1);
  EXPECT_GE(s.at("funnel").at("inquiries").as_int64(), 1);
  EXPECT_TRUE(s.at("funnel").at("visits_booked").is_int64());
  EXPECT_FALSE(all_leads_of_listing(listing).empty());
}

TEST_F(Leads, AListerHearsByEmailAndSmsOnlyAtVerifiedContacts) {
  // Registered, never verified: the address and the number may be anybody's.
  const std::string email = "unverified-lister-" + std::to_string(::getpid()) + "@test.griha.in";
  const std::string password = "correct horse battery unverified";
  ASSERT_EQ(
      call(verb::post, "/api/v1/auth/register", nullptr,
           json::object{
               {"email", email}, {"password", password}, {"name", "Unverified"}, {"role", "owner"}})
          .result_int(),
      202);
  auto signed_in = call(verb::post, "/api/v1/auth/signin", nullptr,
                        json::object{{"email", email}, {"password", password}});
  ASSERT_EQ(signed_in.result_int(), 200) << signed_in.body();
  TestUser lister;
  lister.email = email;
  lister.access_token = json_body(signed_in).at("access_token").as_string();
  auto me = call(verb::patch, "/api/v1/me", &lister, R"({"phone":"+919900000021"})");
  ASSERT_EQ(me.result_int(), 200) << me.body();
  ASSERT_FALSE(json_body(me).at("email_verified").as_bool());
  ASSERT_FALSE(json_body(me).at("phone_verified").as_bool());
  lister.id = json_body(me).at("id").as_int64();

  const auto listing = active_listing(lister);
  auto first = inquire(listing, &seeker_, "Is it available?");
  ASSERT_EQ(first.result_int(), 201) << first.body();
  EXPECT_EQ(outbox_count("lead.new", "email", email), 0);
  EXPECT_EQ(outbox_count("lead.new", "sms", "+919900000021"), 0);
  // The lister still hears in the app, and reads the lead there.
  const auto link = "/dashboard/leads/" + std::to_string(json_body(first).at("id").as_int64());
  const auto notes = json_body(call(verb::get, "/api/v1/me/notifications", &lister));
  bool in_app = false;
  for (const auto& n : notes.at("items").as_array())
    in_app |= n.at("kind") == "lead.new" && n.at("link") == json::value(link);
  EXPECT_TRUE(in_app);

  // Once the number is proven, SMS follows; the address is still unproven.
  verify_phone("+919900000021");
  auto second = inquire(listing, &other_seeker_, "And for me?");
  ASSERT_EQ(second.result_int(), 201) << second.body();
  EXPECT_EQ(outbox_count("lead.new", "sms", "+919900000021"), 1);
  EXPECT_EQ(outbox_count("lead.new", "email", email), 0);
}

TEST_F(Leads, VerificationCodesToOneContactAreCappedPerDay) {
  // The server sends at most 2 codes a day to one contact, with no resend wait.
  auto ask = [](const json::object& contact) {
    return call(verb::post, "/api/v1/inquiries/contact/verify-request", nullptr, contact);
  };
  const json::object phone{{"phone", "+919812300021"}};
  ASSERT_EQ(ask(phone).result_int(), 202);
  ASSERT_EQ(ask(json::object{{"phone", "98123 00021"}}).result_int(), 202);
  auto capped = ask(phone);
  EXPECT_EQ(capped.result_int(), 429) << capped.body();
  EXPECT_EQ(code_of(capped), "code_daily_cap");
  const std::string retry(capped[bhttp::field::retry_after]);
  ASSERT_FALSE(retry.empty());
  EXPECT_GT(std::stoi(retry), 23 * 3600);
  EXPECT_LE(std::stoi(retry), 24 * 3600);
  EXPECT_EQ(ask(json::object{{"phone", "+919812300022"}}).result_int(), 202)
      << "another number has its own count";
  const json::object mail{{"email", "capped.guest@example.in"}};
  ASSERT_EQ(ask(mail).result_int(), 202);
  ASSERT_EQ(ask(mail).result_int(), 202);
  EXPECT_EQ(code_of(ask(mail)), "code_daily_cap");
}

TEST_F(Leads, AnAgentWhoLeavesTheAgencyLosesTheLead) {
  const auto broker = create_user(*server_, "agent");
  const auto colleague = create_user(*server_, "agent");
  auto agency = call(verb::post, "/api/v1/admin/agencies", &admin_, R"({"name":"Versova Homes"})");
  ASSERT_EQ(agency.result_int(), 201) << agency.body();
  auto other = call(verb::post, "/api/v1/admin/agencies", &admin_, R"({"name":"Juhu Realty"})");
  ASSERT_EQ(other.result_int(), 201) << other.body();
  auto join = [&](const TestUser& u, json::value agency_id) {
    return call(verb::put, "/api/v1/admin/users/" + std::to_string(u.id) + "/agency", &admin_,
                json::object{{"agency_id", agency_id}});
  };
  const auto agency_id = json_body(agency).at("id");
  ASSERT_EQ(join(broker, agency_id).result_int(), 200);
  ASSERT_EQ(join(colleague, agency_id).result_int(), 200);
  const auto listing = active_listing(broker);
  const auto seeker = create_user(*server_, "seeker");
  const auto id = json_body(inquire(listing, &seeker, "For the agency")).at("id").as_int64();
  ASSERT_EQ(call(verb::patch, lead_path(id), &broker, json::object{{"assigned_to", colleague.id}})
                .result_int(),
            200);
  ASSERT_EQ(call(verb::get, lead_path(id), &colleague).result_int(), 200);
  ASSERT_EQ(my_leads(colleague).size(), 1u);

  for (const json::value& moved_to : {json::value(nullptr), json_body(other).at("id")}) {
    ASSERT_EQ(join(colleague, moved_to).result_int(), 200);
    auto get = call(verb::get, lead_path(id), &colleague);
    EXPECT_EQ(get.result_int(), 404) << moved_to;
    EXPECT_EQ(code_of(get), "lead_not_found");
    EXPECT_EQ(call(verb::patch, lead_path(id), &colleague, R"({"stage":"contacted"})").result_int(),
              404);
    EXPECT_EQ(
        call(verb::post, lead_path(id) + "/notes", &colleague, R"({"body":"x"})").result_int(),
        404);
    EXPECT_TRUE(my_leads(colleague).empty());
    auto csv = call(verb::get, "/api/v1/me/leads/export", &colleague);
    EXPECT_EQ(csv.body().find("For the agency"), std::string::npos);
    EXPECT_EQ(csv.body().find(seeker.email), std::string::npos);
  }
  // The lister still has the lead, and the stage is as it was.
  const auto lead = json_body(call(verb::get, lead_path(id), &broker));
  EXPECT_EQ(lead.at("stage"), "new");
  EXPECT_TRUE(lead.at("notes").as_array().empty());
}

TEST_F(Leads, ConcurrentPatchesNeverReopenALeadAnAdminClosed) {
  // Rounds of an admin closing a lead while its lister keeps moving it from several
  // connections: once the close has committed, none of the lister's moves may land.
  constexpr int k_rounds = 4, k_movers = 4;
  const char* stages[k_movers] = {"contacted", "visit_scheduled", "visited", "negotiating"};
  for (int round = 0; round < k_rounds; ++round) {
    const auto listing = active_listing(owner_);
    const auto seeker = create_user(*server_, "seeker");
    const auto id = json_body(inquire(listing, &seeker)).at("id").as_int64();
    std::latch start(k_movers + 1);
    std::atomic<int> unexpected{0};
    {
      std::vector<std::jthread> threads;
      threads.emplace_back([&] {
        start.arrive_and_wait();
        if (call(verb::patch, lead_path(id), &admin_, R"({"stage":"won"})").result_int() != 200)
          ++unexpected;
      });
      for (int i = 0; i < k_movers; ++i)
        threads.emplace_back([&, i] {
          start.arrive_and_wait();
          for (int k = 0; k < 3; ++k) {
            const auto status = call(verb::patch, lead_path(id), &owner_,
                                     json::object{{"stage", stages[(i + k) % k_movers]}})
                                    .result_int();
            if (status != 200 && status != 409) ++unexpected;
          }
        });
    }
    EXPECT_EQ(unexpected.load(), 0);
    const auto d = json_body(call(verb::get, lead_path(id), &admin_));
    EXPECT_EQ(d.at("stage"), "won") << "round " << round;
    const json::value* last = nullptr;
    for (const auto& e : d.at("history").as_array())
      if (e.at("kind") == "stage") last = &e;
    ASSERT_TRUE(last);
    EXPECT_EQ(last->at("to"), "won") << "round " << round;
    EXPECT_EQ(last->at("actor_id").as_int64(), admin_.id) << "round " << round;
  }
}

// A server of its own with a small per-IP budget and contact tokens that live one second.
class LeadLimits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new GrihaProcess({{"GRIHA_LEADS_IP_RATE_PER_MINUTE", "4"},
                                {"GRIHA_LEADS_CONTACT_TOKEN_TTL_SECONDS", "1"},
                                {"GRIHA_NOTIFY_POLL_SECONDS", "1"}});
    owner_ = create_user(*server_, "owner");
    admin_ = create_user(*server_, "admin");
  }
  static void TearDownTestSuite() { delete server_; }
  static GrihaProcess* server_;
  static TestUser owner_, admin_;
};
GrihaProcess* LeadLimits::server_ = nullptr;
TestUser LeadLimits::owner_, LeadLimits::admin_;

std::int64_t listing_on(const GrihaProcess& server, const TestUser& owner, const TestUser& admin) {
  return Api(server).publish_listing(owner, admin, {{"transaction", "rent"}, {"price", 32000}});
}

TEST_F(LeadLimits, AnExpiredContactTokenCreatesNoLead) {
  const auto listing = listing_on(*server_, owner_, admin_);
  const std::string phone = "+919812300009";
  const Api api(*server_);
  auto req = api.call(verb::post, "/api/v1/inquiries/contact/verify-request", nullptr,
                      json::object{{"phone", phone}});
  ASSERT_EQ(req.result_int(), 202) << req.body();
  const std::string code = api.messages().await("sms", phone, k_inquiry_code);
  auto ok = api.call(verb::post, "/api/v1/inquiries/contact/verify", nullptr,
                     json::object{{"phone", phone}, {"code", code}});
  ASSERT_EQ(ok.result_int(), 200) << ok.body();
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  api.run(
      {.name = "a token past its time",
       .method = verb::post,
       .path = "/api/v1/listings/" + std::to_string(listing) + "/inquiries",
       .body = json::serialize(json::object{{"message", "Too late?"},
                                            {"name", "Guest"},
                                            {"contact_token", json_body(ok).at("contact_token")}}),
       .expected_status = 401,
       .expected_code = "contact_token_invalid"});
  api.run({.name = "no lead",
           .path = "/api/v1/admin/leads",
           .as = &admin_,
           .expected_fields = {{"/items", json::array()}}});
}

TEST_F(LeadLimits, AnIpAddressIsRateLimited) {
  const auto listing = listing_on(*server_, owner_, admin_);
  int status = 0;
  HttpResponse last;
  for (int i = 0; i < 6 && status != 429; ++i) {
    const auto seeker = create_user(*server_, "seeker");
    last =
        Api(*server_).call(verb::post, "/api/v1/listings/" + std::to_string(listing) + "/inquiries",
                           &seeker, R"({"message":"From one address"})");
    status = last.result_int();
  }
  EXPECT_EQ(status, 429);
  EXPECT_EQ(code_of(last), "rate_limited");
  EXPECT_FALSE(last[bhttp::field::retry_after].empty());
}

}  // namespace
}  // namespace griha::test
