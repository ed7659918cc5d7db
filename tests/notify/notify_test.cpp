// The parts of the providers that need no server: message format and gateway body.
#include <gtest/gtest.h>

#include "notify/email.hpp"
#include "notify/sms.hpp"

namespace griha::notify {
namespace {

TEST(Email, MessageIsCrlfWithSafeHeaders) {
  const auto m = format_message(
      {"priya@example.in", "Hello\r\nBcc: evil@example.in", "line one\n.\nline three"},
      "Griha <no-reply@griha.test>", "<id@griha.test>", "Tue, 24 Nov 2026 03:10:05 +0000");
  EXPECT_NE(m.find("Subject: HelloBcc: evil@example.in\r\n"), std::string::npos)
      << "CR/LF in a header value must not start a new header";
  EXPECT_EQ(m.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(m.find("\r\n\r\nline one\r\n..\r\nline three\r\n"), std::string::npos)
      << "a lone dot line is stuffed";
  EXPECT_NE(m.find("To: <priya@example.in>\r\n"), std::string::npos);
}

TEST(Sms, BodyTemplateEscapesJson) {
  EXPECT_EQ(render_sms_body(R"({"to":"{{to}}","msg":"{{text}}"})", "+919876543210", "code \"1\"\n"),
            R"({"to":"+919876543210","msg":"code \"1\"\n"})");
}

}  // namespace
}  // namespace griha::notify
