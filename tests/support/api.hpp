// The API scenario harness for integration tests: one client of a running griha, table-driven
// scenarios (method, path, body, headers, expected status, expected and unexpected JSON
// fields, after PocketBase's ApiScenario), the messages the log providers "sent" read from
// their sink file, and the helpers every suite needs (users, a published listing). Every
// request goes through http_request, which records the exchange for the OpenAPI check.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "support/griha_process.hpp"
#include "support/http_client.hpp"

namespace griha::test {

// The problem+json `code` of an error response ("" when there is none).
std::string code_of(const HttpResponse& res);

// One table row: a request and what its response must and must not hold.
struct ApiScenario {
  std::string name;  // shown with every failed expectation
  bhttp::verb method = bhttp::verb::get;
  std::string path;
  std::string body;              // sent as application/json unless `headers` name a type
  const TestUser* as = nullptr;  // adds "Authorization: Bearer …"
  Headers headers;
  unsigned expected_status = 200;
  std::string expected_code;  // the problem's `code`, when set
  // JSON Pointer (RFC 6901) → the value the body holds there.
  std::vector<std::pair<std::string, boost::json::value>> expected_fields;
  std::vector<std::string> present_fields;     // JSON Pointers that must exist
  std::vector<std::string> unexpected_fields;  // JSON Pointers that must not exist
  std::vector<std::string> expected_content;   // substrings of the raw body
  std::vector<std::string> unexpected_content;
  std::vector<std::pair<std::string, std::string>> expected_headers;  // name → exact value
};

// The messages the `log` email and SMS providers wrote to their sink (GrihaProcess turns it
// on), one JSON object each: {"channel":"email"|"sms","to","subject"?,"text"}.
class MessageSink {
 public:
  explicit MessageSink(std::filesystem::path file) : file_(std::move(file)) {}
  std::vector<boost::json::object> all() const;
  // Messages on `channel` ("email" or "sms") to `to`.
  std::vector<boost::json::object> to(const std::string& channel, const std::string& to) const;
  // Waits (mail and SMS leave after the response) until more than `previous` messages to
  // `to` on `channel` match `pattern` in their subject and text, and returns the newest
  // match's first group. Throws after 10 s.
  std::string await(const std::string& channel, const std::string& to, const std::regex& pattern,
                    std::size_t previous = 0) const;
  // How many messages to `to` on `channel` match `pattern`.
  std::size_t count(const std::string& channel, const std::string& to,
                    const std::regex& pattern) const;

 private:
  std::filesystem::path file_;
};

// The sample listing every suite starts from: a complete 2 BHK resale flat in Andheri West,
// `overrides` replacing or adding fields.
boost::json::object listing_body(const GrihaProcess& server, boost::json::object overrides = {});

class Api {
 public:
  explicit Api(const GrihaProcess& server) : server_(&server) {}
  std::uint16_t port() const { return server_->port(); }
  MessageSink messages() const { return MessageSink(server_->sink_file()); }

  // One request as `as` (nobody when null). A non-empty body is JSON unless `headers` carry a
  // Content-Type.
  HttpResponse call(bhttp::verb method, const std::string& target, const TestUser* as = nullptr,
                    const std::string& body = {}, Headers headers = {}) const;
  HttpResponse call(bhttp::verb method, const std::string& target, const TestUser* as,
                    const boost::json::object& body, Headers headers = {}) const {
    return call(method, target, as, boost::json::serialize(body), std::move(headers));
  }
  HttpResponse get(const std::string& target, const TestUser* as = nullptr,
                   Headers headers = {}) const {
    return call(bhttp::verb::get, target, as, std::string(), std::move(headers));
  }

  // Runs one scenario, checking every expectation (gtest EXPECTs, each naming the scenario);
  // returns the response for checks a table cannot say.
  HttpResponse run(const ApiScenario& scenario) const;
  void run(const std::vector<ApiScenario>& scenarios) const {
    for (const auto& s : scenarios) run(s);
  }

  // A user made with `griha user create` and signed in.
  TestUser user(const std::string& role) const { return create_user(*server_, role); }
  // Registers an account over the API (202) and returns the sign-in tokens after verifying
  // nothing: the account can sign in at once.
  void sign_up(const std::string& email, const std::string& password,
               const std::string& name = "Test") const;
  // The token pair of a password sign-in, which must succeed.
  boost::json::object sign_in(const std::string& email, const std::string& password) const;

  // Creates `lister`'s listing from listing_body(overrides) and takes it to `state`: "draft",
  // "pending_review" (submitted) or "active" (then approved by `admin`). Throws on any step
  // that does not succeed.
  std::int64_t listing(const TestUser& lister, const TestUser* admin,
                       const std::string& state = "active",
                       const boost::json::object& overrides = {}) const;
  // create, submit, approve.
  std::int64_t publish_listing(const TestUser& lister, const TestUser& admin,
                               const boost::json::object& overrides = {}) const {
    return listing(lister, &admin, "active", overrides);
  }

 private:
  const GrihaProcess* server_;
};

}  // namespace griha::test
