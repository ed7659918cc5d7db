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
  // base64 of "line one\n.\nline three": a lone dot line cannot end the SMTP message early.
  EXPECT_NE(m.find("\r\n\r\nbGluZSBvbmUKLgpsaW5lIHRocmVl\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("To: <priya@example.in>\r\n"), std::string::npos);
}

TEST(Email, HtmlAndAttachmentsAreMimeParts) {
  Email e;
  e.to = "priya@example.in";
  e.subject = "Visit at ₹85 L flat";
  e.text = "plain";
  e.html = "<p>html</p>";
  e.attachments.push_back({"visit.ics", "text/calendar; method=REQUEST", "BEGIN:VCALENDAR"});
  e.headers.emplace_back("List-Unsubscribe", "<https://griha.test/u?t=1>\r\nBcc: x@y");
  const auto m = format_message(e, "Griha <no-reply@griha.test>", "<id@griha.test>", "date");
  EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos) << "non-ASCII subject is encoded";
  EXPECT_NE(m.find("Content-Type: multipart/mixed; boundary="), std::string::npos);
  EXPECT_NE(m.find("Content-Type: multipart/alternative; boundary="), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
  EXPECT_NE(m.find("Content-Disposition: attachment; filename=\"visit.ics\""), std::string::npos);
  EXPECT_NE(m.find("QkVHSU46VkNBTEVOREFS"), std::string::npos) << "the attachment, base64";
  EXPECT_NE(m.find("List-Unsubscribe: <https://griha.test/u?t=1>Bcc: x@y\r\n"), std::string::npos);
}

TEST(Sms, BodyTemplateEscapesJson) {
  EXPECT_EQ(render_sms_body(R"({"to":"{{to}}","msg":"{{text}}","ref":"{{id}}"})", "+919876543210",
                            "code \"1\"\n", "d-1"),
            R"({"to":"+919876543210","msg":"code \"1\"\n","ref":"d-1"})");
}

}  // namespace
}  // namespace griha::notify
