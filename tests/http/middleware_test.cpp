#include "http/middleware.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include "http/problem.hpp"

namespace griha::http {
namespace {

RawRequest request_with(std::initializer_list<std::pair<bhttp::field, std::string>> fields) {
  RawRequest req{bhttp::verb::get, "/x", 11};
  for (const auto& [f, v] : fields) req.set(f, v);
  return req;
}

TEST(Middleware, GzipRoundTrips) {
  const std::string text(5000, 'x');
  const std::string zipped = gzip(text);
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out(text.size(), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zipped.data()));
  zs.avail_in = static_cast<uInt>(zipped.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  inflateEnd(&zs);
  EXPECT_EQ(out, text);
}

TEST(Middleware, CompressesOnlyCompressibleLargeBodiesForWillingClients) {
  MiddlewareOptions o;
  auto big_json = [] { return text_response(std::string(2000, 'a'), "application/json"); };
  Response r1 = big_json();
  finish_response(request_with({{bhttp::field::accept_encoding, "gzip, deflate"}}), r1, "id", o);
  EXPECT_EQ(r1[bhttp::field::content_encoding], "gzip");
  Response r2 = big_json();
  finish_response(request_with({}), r2, "id", o);
  EXPECT_EQ(r2.count(bhttp::field::content_encoding), 0u);
  Response r3 = text_response(std::string(2000, 'a'), "image/png");
  finish_response(request_with({{bhttp::field::accept_encoding, "gzip"}}), r3, "id", o);
  EXPECT_EQ(r3.count(bhttp::field::content_encoding), 0u);
}

TEST(Middleware, HstsOnlyWhenConfigured) {
  MiddlewareOptions o;
  Response r = text_response("ok", "text/plain");
  finish_response(request_with({}), r, "id", o);
  EXPECT_EQ(r.count(bhttp::field::strict_transport_security), 0u);
  o.hsts = true;
  finish_response(request_with({}), r, "id", o);
  EXPECT_NE(r[bhttp::field::strict_transport_security].find("max-age="), std::string::npos);
}

TEST(Middleware, HandlerCspIsKept) {
  Response r = text_response("<html>", "text/html");
  r.set("Content-Security-Policy", "default-src 'self'");
  finish_response(request_with({}), r, "id", {});
  EXPECT_EQ(r["Content-Security-Policy"], "default-src 'self'");
}

TEST(Middleware, RequestIdsArePlainAndBounded) {
  EXPECT_EQ(request_id_for("abc-DEF_1.2"), "abc-DEF_1.2");
  EXPECT_EQ(request_id_for(std::string(65, 'a')).size(), 16u);
  EXPECT_EQ(request_id_for("a b").size(), 16u);
  EXPECT_EQ(request_id_for("").size(), 16u);
}

TEST(Problem, EveryKindHasItsStatus) {
  EXPECT_EQ(status_for(ErrorKind::invalid), bhttp::status::bad_request);
  EXPECT_EQ(status_for(ErrorKind::unauthenticated), bhttp::status::unauthorized);
  EXPECT_EQ(status_for(ErrorKind::forbidden), bhttp::status::forbidden);
  EXPECT_EQ(status_for(ErrorKind::not_found), bhttp::status::not_found);
  EXPECT_EQ(status_for(ErrorKind::conflict), bhttp::status::conflict);
  EXPECT_EQ(status_for(ErrorKind::precondition_failed), bhttp::status::precondition_failed);
  EXPECT_EQ(status_for(ErrorKind::too_large), bhttp::status::payload_too_large);
  EXPECT_EQ(status_for(ErrorKind::rate_limited), bhttp::status::too_many_requests);
  EXPECT_EQ(status_for(ErrorKind::unavailable), bhttp::status::service_unavailable);
  EXPECT_EQ(status_for(ErrorKind::internal), bhttp::status::internal_server_error);
  EXPECT_EQ(status_for(ErrorKind::unprocessable), bhttp::status::unprocessable_entity);
}

TEST(Problem, BodyNamesFieldsAndHidesDetail) {
  Error e = Error::field("/price", FieldCode::out_of_range, "Price must be positive.");
  e.fields.push_back(
      {"/price_max", FieldCode::invalid_type, "must be a whole number", FieldIn::query});
  e.detail = "SELECT secret FROM internals";
  Response r = problem_response(e, "/api/v1/listings");
  EXPECT_EQ(r[bhttp::field::content_type], "application/problem+json");
  auto body = boost::json::parse(r.body()).as_object();
  EXPECT_EQ(body.at("code").as_string(), "validation_failed");
  EXPECT_EQ(body.at("status").as_int64(), 400);
  const auto& errors = body.at("errors").as_array();
  EXPECT_EQ(errors[0].at("field").as_string(), "/price");
  EXPECT_EQ(errors[0].at("in").as_string(), "body");
  EXPECT_EQ(errors[0].at("code").as_string(), "out_of_range");
  EXPECT_EQ(errors[1].at("field").as_string(), "/price_max");
  EXPECT_EQ(errors[1].at("in").as_string(), "query");
  EXPECT_EQ(errors[1].at("code").as_string(), "invalid_type");
  EXPECT_EQ(r.body().find("secret"), std::string::npos);
}

TEST(Problem, RateLimitCarriesRetryAfter) {
  Error e = Error::make(ErrorKind::rate_limited, "rate_limited", "Slow down.");
  e.retry_after_seconds = 30;
  Response r = problem_response(e, "/x");
  EXPECT_EQ(r.result_int(), 429);
  EXPECT_EQ(r[bhttp::field::retry_after], "30");
}

}  // namespace
}  // namespace griha::http
