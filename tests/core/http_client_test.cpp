// The outbound HTTP client: a transport failure is a value (unavailable), and what it logs
// names only the origin, never credentials in the URL.
#include "core/http_client.hpp"

#include <gtest/gtest.h>

namespace griha {
namespace {

TEST(HttpClient, UnreachableServiceIsUnavailableWithoutSecrets) {
  ensure_curl();
  ensure_curl();  // any number of times
  HttpCall call;
  call.method = "POST";
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  call.url = "http://user:secret@127.0.0.1:1/send?api_key=hidden";
  call.timeout_ms = 2000;
  auto r = http_call(call);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  EXPECT_NE(r.error().detail.find("http://127.0.0.1:1"), std::string::npos) << r.error().detail;
  EXPECT_EQ(r.error().detail.find("secret"), std::string::npos) << r.error().detail;
  EXPECT_EQ(r.error().detail.find("hidden"), std::string::npos) << r.error().detail;
}

TEST(HttpClient, OnlyHttpAndHttpsAreSpoken) {
  HttpCall call;
  call.url = "file:///etc/passwd";
  auto r = http_call(call);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
}

}  // namespace
}  // namespace griha
