// The HTTP server as a client sees it: routing, errors, middleware and limits, driven over
// real sockets against the real binary (on SQLite or PostgreSQL per GRIHA_TEST_DATABASE).
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <thread>

#include "support/api.hpp"

namespace griha::test {
namespace {

using bhttp::verb;

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new GrihaProcess({{"GRIHA_SERVER_CORS_ORIGINS", "https://app.griha.test"},
                                {"GRIHA_SERVER_READ_TIMEOUT_MS", "1500"},
                                {"GRIHA_SERVER_MAX_BODY_BYTES", "1048576"}});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::uint16_t port() { return server_->port(); }
  static Api api() { return Api(*server_); }
  static GrihaProcess* server_;
};
GrihaProcess* ServerTest::server_ = nullptr;

// A route-table row: the scenario, and the prefix its Content-Type must have.
struct Case {
  ApiScenario scenario;
  std::string content_type;
};

// An error answered as problem+json with its status, type and title (and `code`, when set).
ApiScenario problem(std::string name, verb method, std::string target, unsigned status,
                    std::string code = {}) {
  return {.name = std::move(name),
          .method = method,
          .path = std::move(target),
          .expected_status = status,
          .expected_code = std::move(code),
          .expected_fields = {{"/status", static_cast<std::int64_t>(status)}},
          .present_fields = {"/type", "/title"}};
}

TEST_F(ServerTest, RouteTable) {
  const std::vector<Case> cases = {
      {{.name = "health", .path = "/healthz"}, "application/json"},
      {{.name = "ready", .path = "/readyz"}, "application/json"},
      {{.name = "metrics", .path = "/metrics"}, "text/plain"},
      {{.name = "openapi", .path = "/openapi.json"}, "application/json"},
      {problem("unknown route", verb::get, "/no/such/thing", 404, "route_not_found"),
       "application/problem+json"},
      {problem("wrong method", verb::post, "/healthz", 405, "method_not_allowed"),
       "application/problem+json"},
      {problem("delete on docs", verb::delete_, "/docs", 405, "method_not_allowed"),
       "application/problem+json"},
      {problem("asset traversal", verb::get, "/assets/../CMakeLists.txt", 404),
       "application/problem+json"},
      {problem("hidden asset", verb::get, "/assets/.secret", 404, "file_not_found"),
       "application/problem+json"},
      {problem("missing asset", verb::get, "/assets/none.js", 404, "file_not_found"),
       "application/problem+json"},
  };
  for (const auto& c : cases) {
    auto res = api().run(c.scenario);
    EXPECT_TRUE(std::string(res[bhttp::field::content_type]).starts_with(c.content_type))
        << c.scenario.name << ": " << res[bhttp::field::content_type];
  }
}

TEST_F(ServerTest, HealthAndReadinessBodies) {
  EXPECT_EQ(json_body(api().get("/healthz")).at("status").as_string(), "ok");
  auto ready = json_body(api().get("/readyz"));
  EXPECT_EQ(ready.at("status").as_string(), "ready");
  EXPECT_EQ(ready.at("database").at("dialect").as_string(), test_backend());
}

TEST_F(ServerTest, MethodNotAllowedListsAllowedMethods) {
  auto res = api().call(verb::put, "/metrics");
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(res[bhttp::field::allow], "GET, HEAD");
}

TEST_F(ServerTest, HeadHasHeadersButNoBody) {
  auto get = api().get("/openapi.json");
  auto head = api().call(verb::head, "/openapi.json");
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head[bhttp::field::content_length], std::to_string(get.body().size()));
  EXPECT_TRUE(head.body().empty());
}

TEST_F(ServerTest, RequestIdIsEchoedOrGenerated) {
  auto given = api().get("/healthz", nullptr, {{"X-Request-Id", "trace-42.a_b"}});
  EXPECT_EQ(given["X-Request-Id"], "trace-42.a_b");
  auto hostile = api().get("/healthz", nullptr, {{"X-Request-Id", "<script>alert(1)</script>"}});
  EXPECT_NE(hostile["X-Request-Id"], "<script>alert(1)</script>");
  EXPECT_EQ(hostile["X-Request-Id"].size(), 16u);
  auto none = api().get("/healthz");
  EXPECT_EQ(none["X-Request-Id"].size(), 16u);
  EXPECT_NE(none["X-Request-Id"], api().get("/healthz")["X-Request-Id"]);
}

TEST_F(ServerTest, SecurityHeadersOnEveryResponse) {
  for (const char* target : {"/healthz", "/nope"}) {
    auto res = api().get(target);
    EXPECT_EQ(res["X-Content-Type-Options"], "nosniff") << target;
    EXPECT_EQ(res["Referrer-Policy"], "strict-origin-when-cross-origin") << target;
    EXPECT_NE(res["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos)
        << target;
    // HSTS only when TLS is terminated in front of griha (server.hsts).
    EXPECT_EQ(res.count(bhttp::field::strict_transport_security), 0u) << target;
  }
}

TEST_F(ServerTest, CorsOnlyForAllowedOrigins) {
  auto allowed = api().get("/healthz", nullptr, {{"Origin", "https://app.griha.test"}});
  EXPECT_EQ(allowed[bhttp::field::access_control_allow_origin], "https://app.griha.test");
  auto other = api().get("/healthz", nullptr, {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.count(bhttp::field::access_control_allow_origin), 0u);

  auto preflight =
      api().call(verb::options, "/readyz", nullptr, std::string(),
                 {{"Origin", "https://app.griha.test"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.result_int(), 204);
  EXPECT_NE(preflight[bhttp::field::access_control_allow_methods].find("POST"), std::string::npos);
  auto bad_preflight =
      api().call(verb::options, "/readyz", nullptr, std::string(),
                 {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(bad_preflight.count(bhttp::field::access_control_allow_origin), 0u);
  EXPECT_EQ(bad_preflight.count(bhttp::field::access_control_allow_methods), 0u);
}

std::string gunzip(const std::string& in) {
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out(in.size() * 20 + 1024, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

TEST_F(ServerTest, GzipWhenLargeAndAccepted) {
  auto plain = api().get("/openapi.json");
  ASSERT_GT(plain.body().size(), 1024u);
  EXPECT_EQ(plain.count(bhttp::field::content_encoding), 0u);
  auto zipped = api().get("/openapi.json", nullptr, {{"Accept-Encoding", "br, gzip"}});
  EXPECT_EQ(zipped[bhttp::field::content_encoding], "gzip");
  EXPECT_NE(zipped[bhttp::field::vary].find("Accept-Encoding"), std::string::npos);
  EXPECT_LT(zipped.body().size(), plain.body().size());
  EXPECT_EQ(gunzip(zipped.body()), plain.body());
  // Small bodies are not worth it; q=0 means no.
  EXPECT_EQ(api()
                .get("/healthz", nullptr, {{"Accept-Encoding", "gzip"}})
                .count(bhttp::field::content_encoding),
            0u);
  EXPECT_EQ(api()
                .get("/openapi.json", nullptr, {{"Accept-Encoding", "gzip;q=0"}})
                .count(bhttp::field::content_encoding),
            0u);
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  RawConnection conn(port());
  std::string batch;
  for (int i = 0; i < 3; ++i) batch += "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  batch += "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_TRUE(conn.send(batch));
  bool closed = false;
  const std::string out = conn.read_until_closed(std::chrono::seconds(5), &closed);
  EXPECT_TRUE(closed);
  std::size_t count = 0;
  for (auto pos = out.find("HTTP/1.1 200"); pos != std::string::npos;
       pos = out.find("HTTP/1.1 200", pos + 1))
    ++count;
  EXPECT_EQ(count, 4u);
}

TEST_F(ServerTest, MetricsCountRequestsByRouteAndStatus) {
  api().get("/healthz");
  api().get("/definitely-missing");
  const std::string text = api().get("/metrics").body();
  EXPECT_NE(text.find(R"(griha_http_requests_total{route="/healthz",status="200"})"),
            std::string::npos);
  EXPECT_NE(text.find(R"(griha_http_requests_total{route="unmatched",status="404"})"),
            std::string::npos);
  EXPECT_NE(text.find(R"(griha_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"})"),
            std::string::npos);
  EXPECT_NE(text.find("griha_db_pool_connections{state=\"max\"}"), std::string::npos);
  EXPECT_NE(text.find("process_resident_memory_bytes "), std::string::npos);
}

// --- Bad input: each refused cleanly while other clients keep being served. ---

// Polls /healthz on its own connections while a test misbehaves on others. It is answering
// before the test starts misbehaving, and must be answered again before it finishes.
class Bystander {
 public:
  explicit Bystander(std::uint16_t port)
      : thread_([this, port] {
          while (!stop_) {
            try {
              if (http_get(port, "/healthz").result_int() == 200)
                ++ok_;
              else
                ++failed_;
            } catch (...) {
              ++failed_;
            }
          }
        }) {
    wait_for_more_than(0);
  }
  void finish() {
    wait_for_more_than(ok_.load());
    stop_ = true;
    thread_.join();
    EXPECT_EQ(failed_.load(), 0);
  }

 private:
  void wait_for_more_than(int n) {
    for (int i = 0; i < 1000 && ok_.load() <= n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_GT(ok_.load(), n) << "the bystander was not answered";
  }
  std::atomic<bool> stop_{false};
  std::atomic<int> ok_{0}, failed_{0};
  std::thread thread_;
};

TEST_F(ServerTest, OversizedBodyGets413) {
  Bystander bystander(port());
  RawConnection conn(port());
  const std::size_t size = 20 * 1024 * 1024;
  ASSERT_TRUE(
      conn.send("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: " +
                std::to_string(size) + "\r\n\r\n"));
  // Keep sending the body (as a real client would) until the server stops reading.
  std::thread sender([&conn, size] {
    const std::string chunk(64 * 1024, 'a');
    for (std::size_t sent = 0; sent < size; sent += chunk.size())
      if (!conn.send(chunk)) break;
  });
  bool closed = false;
  const std::string out = conn.read_until_closed(std::chrono::seconds(10), &closed);
  sender.join();
  EXPECT_TRUE(out.starts_with("HTTP/1.1 413")) << out.substr(0, 200);
  EXPECT_NE(out.find("payload_too_large"), std::string::npos);
  EXPECT_NE(out.find("application/problem+json"), std::string::npos);
  EXPECT_TRUE(closed);
  bystander.finish();
}

TEST_F(ServerTest, MalformedRequestLineGets400AndClose) {
  Bystander bystander(port());
  for (const char* bad : {"GARBAGE\r\n\r\n", "GET /healthz HTTP/9.9\r\n\r\n",
                          "GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n"}) {
    RawConnection conn(port());
    ASSERT_TRUE(conn.send(bad));
    bool closed = false;
    const std::string out = conn.read_until_closed(std::chrono::seconds(5), &closed);
    EXPECT_TRUE(out.starts_with("HTTP/1.1 400")) << bad << " -> " << out.substr(0, 100);
    EXPECT_NE(out.find("\"code\":\"bad_request\""), std::string::npos);
    EXPECT_TRUE(closed) << bad;
  }
  bystander.finish();
}

TEST_F(ServerTest, OversizedHeadersGet431) {
  RawConnection conn(port());
  ASSERT_TRUE(conn.send(
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'b') + "\r\n\r\n"));
  bool closed = false;
  const std::string out = conn.read_until_closed(std::chrono::seconds(5), &closed);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 431")) << out.substr(0, 100);
  EXPECT_TRUE(closed);
}

TEST_F(ServerTest, TrickledHeadersAreCutOffByTheReadTimeout) {
  Bystander bystander(port());
  RawConnection conn(port());
  // One byte a second: the request would take ~30 s; the read timeout here is 1.5 s.
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: yes\r\n\r\n";
  bool closed = false;
  std::size_t sent = 0;
  for (; sent < request.size() && !closed; ++sent) {
    if (!conn.send(request.substr(sent, 1))) {
      closed = true;
      break;
    }
    conn.read_until_closed(std::chrono::seconds(1), &closed);
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(sent, request.size());
  bystander.finish();
}

}  // namespace
}  // namespace griha::test
