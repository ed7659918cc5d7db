#include "support/api.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace griha::test {

namespace json = boost::json;
using bhttp::verb;

std::string code_of(const HttpResponse& res) {
  boost::system::error_code ec;
  const auto body = json::parse(res.body(), ec);
  if (ec || !body.is_object()) return {};
  const auto* code = body.as_object().if_contains("code");
  return code && code->is_string() ? std::string(code->as_string()) : std::string();
}

std::vector<json::object> MessageSink::all() const {
  std::vector<json::object> out;
  std::ifstream in(file_);
  for (std::string line; std::getline(in, line);) {
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    // A line being written as we read is incomplete; it is read whole next time.
    if (!ec && v.is_object()) out.push_back(std::move(v.as_object()));
  }
  return out;
}

std::vector<json::object> MessageSink::to(const std::string& channel, const std::string& to) const {
  std::vector<json::object> out;
  for (auto& m : all())
    if (m.at("channel").as_string() == channel && m.at("to").as_string() == to)
      out.push_back(std::move(m));
  return out;
}

namespace {

// Subject and text, as one string a pattern can search.
std::string searchable(const json::object& m) {
  std::string s;
  if (const auto* subject = m.if_contains("subject")) s += std::string(subject->as_string()) + "\n";
  return s + std::string(m.at("text").as_string());
}

}  // namespace

std::size_t MessageSink::count(const std::string& channel, const std::string& to,
                               const std::regex& pattern) const {
  std::size_t n = 0;
  for (const auto& m : this->to(channel, to)) n += std::regex_search(searchable(m), pattern);
  return n;
}

std::string MessageSink::await(const std::string& channel, const std::string& to,
                               const std::regex& pattern, std::size_t previous) const {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < end) {
    std::vector<std::string> found;
    for (const auto& m : this->to(channel, to)) {
      const std::string text = searchable(m);
      std::smatch match;
      if (std::regex_search(text, match, pattern))
        found.push_back(match.size() > 1 ? match[1].str() : match[0].str());
    }
    if (found.size() > previous) return found.back();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string seen;
  for (const auto& m : all()) seen += json::serialize(m) + "\n";
  throw std::runtime_error("no " + channel + " to " + to + " matching the pattern; sent:\n" + seen);
}

json::object listing_body(const GrihaProcess& server, json::object overrides) {
  const auto places = json_body(http_get(server.port(), "/api/v1/places?q=andheri%20west"));
  const auto& p = places.at("places").as_array().at(0);
  json::object body{
      {"transaction", "sale_resale"},
      {"property_type", "apartment"},
      {"title", "Sunny 2 BHK in Andheri West"},
      {"description", "A bright flat close to the metro, with good light and cross ventilation."},
      {"bhk", 2},
      {"bathrooms", 2},
      {"carpet_area_sqft", 750},
      {"price", 18500000},
      {"city_id", p.at("city_id")},
      {"locality_id", p.at("locality_id")}};
  for (auto& [k, v] : overrides) body[k] = v;
  return body;
}

HttpResponse Api::call(verb method, const std::string& target, const TestUser* as,
                       const std::string& body, Headers headers) const {
  if (as) headers.emplace_back("Authorization", as->bearer());
  const bool typed = std::any_of(headers.begin(), headers.end(), [](const auto& h) {
    return boost::beast::iequals(h.first, "Content-Type");
  });
  if (!body.empty() && !typed) headers.emplace_back("Content-Type", "application/json");
  return http_request(server_->port(), method, target, body, headers);
}

HttpResponse Api::run(const ApiScenario& s) const {
  SCOPED_TRACE("scenario: " + (s.name.empty() ? s.path : s.name));
  auto res = call(s.method, s.path, s.as, s.body, s.headers);
  EXPECT_EQ(res.result_int(), s.expected_status) << res.body();
  if (!s.expected_code.empty()) EXPECT_EQ(code_of(res), s.expected_code) << res.body();
  for (const auto& [name, value] : s.expected_headers) EXPECT_EQ(res[name], value) << name;
  for (const auto& c : s.expected_content)
    EXPECT_NE(res.body().find(c), std::string::npos) << "expected " << c << " in " << res.body();
  for (const auto& c : s.unexpected_content)
    EXPECT_EQ(res.body().find(c), std::string::npos) << "unexpected " << c << " in " << res.body();
  const bool wants_json =
      !s.expected_fields.empty() || !s.present_fields.empty() || !s.unexpected_fields.empty();
  if (!wants_json) return res;
  boost::system::error_code ec;
  const auto body = json::parse(res.body(), ec);
  if (ec) {
    ADD_FAILURE() << "the body is not JSON: " << res.body();
    return res;
  }
  for (const auto& [pointer, value] : s.expected_fields) {
    const auto* found = body.find_pointer(pointer, ec);
    if (!found) {
      ADD_FAILURE() << pointer << " is missing from " << res.body();
    } else {
      EXPECT_EQ(*found, value) << pointer << " in " << res.body();
    }
  }
  for (const auto& pointer : s.present_fields)
    EXPECT_NE(body.find_pointer(pointer, ec), nullptr) << pointer << " is missing: " << res.body();
  for (const auto& pointer : s.unexpected_fields)
    EXPECT_EQ(body.find_pointer(pointer, ec), nullptr) << pointer << " is there: " << res.body();
  return res;
}

void Api::sign_up(const std::string& email, const std::string& password,
                  const std::string& name) const {
  auto res = call(verb::post, "/api/v1/auth/register", nullptr,
                  json::object{{"email", email}, {"password", password}, {"name", name}});
  if (res.result_int() != 202) throw std::runtime_error("register: " + res.body());
}

json::object Api::sign_in(const std::string& email, const std::string& password) const {
  auto res = call(verb::post, "/api/v1/auth/signin", nullptr,
                  json::object{{"email", email}, {"password", password}});
  EXPECT_EQ(res.result_int(), 200) << res.body();
  if (res.result_int() != 200) return {};
  return json_body(res).as_object();
}

std::int64_t Api::listing(const TestUser& lister, const TestUser* admin, const std::string& state,
                          const json::object& overrides) const {
  auto created = call(verb::post, "/api/v1/listings", &lister, listing_body(*server_, overrides));
  if (created.result_int() != 201) throw std::runtime_error("create: " + created.body());
  const auto id = json_body(created).at("id").as_int64();
  const std::string path = "/api/v1/listings/" + std::to_string(id);
  if (state == "draft") return id;
  auto submitted = call(verb::post, path + "/submit", &lister);
  if (submitted.result_int() != 200) throw std::runtime_error("submit: " + submitted.body());
  if (state == "pending_review") return id;
  if (!admin) throw std::runtime_error("approving needs an admin");
  auto approved =
      call(verb::post, "/api/v1/admin/listings/" + std::to_string(id) + "/approve", admin);
  if (approved.result_int() != 200) throw std::runtime_error("approve: " + approved.body());
  return id;
}

}  // namespace griha::test
